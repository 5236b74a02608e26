package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The keyspace storage created replicates every row to all three nodes, and a write and read
 * at storage's default consistency (LOCAL_QUORUM: with one datacenter, a quorum of the
 * three replicas) succeed.
 */
@Order(20)
class ReplicationTest {

    private final Cluster cluster = new Cluster();

    @Test
    void keyspaceHasReplicationFactorThree() {
        String status = cluster.nodetool("cassandra1", "status", "casswarm").orFail("nodetool status casswarm").output();
        List<String> nodes = status.lines().filter(line -> line.startsWith("UN")).toList();
        assertEquals(3, nodes.size(), status);
        // With RF 3 on three nodes, each node owns every token range: "Owns (effective)" 100%.
        for (String node : nodes) {
            assertEquals(true, node.contains("100.0%"), "node owns 100% of the data: " + node);
        }
    }

    @Test
    void quorumWriteThenReadSucceeds() {
        String id = "replication-" + UUID.randomUUID();
        Cluster.Answer created = cluster.storage("POST", "/internal/v1/tenants/e2e/collections/probes/documents",
                "{\"id\":\"" + id + "\",\"body\":{\"written\":\"at quorum\",\"n\":1}}");
        assertEquals(201, created.status(), created.body());

        Cluster.Answer read = cluster.storage("GET", "/internal/v1/tenants/e2e/collections/probes/documents/" + id, null);
        assertEquals(200, read.status(), read.body());
        JsonNode document = read.json();
        assertEquals(1, document.path("version").asLong());
        assertEquals("at quorum", document.path("body").path("written").asText());
    }
}
