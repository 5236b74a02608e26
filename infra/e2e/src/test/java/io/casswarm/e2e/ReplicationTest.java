package io.casswarm.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyspace storage created replicates every row to all three nodes, and a write and read
 * at storage's default consistency (LOCAL_QUORUM: with one datacenter, a quorum of the
 * three replicas) succeed. Every node runs Paxos v2 with gc_grace purging and 5.0's storage format,
 * as stack.yml asks.
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

    /**
     * The settings each node started with, from the "Node configuration" line Cassandra logs at
     * start (its container's own log). stack.yml sets them as -Dcassandra.settings.* flags, which
     * Cassandra applies only with cassandra.config.allow_system_properties: without it they are
     * silently ignored, and the official image would run Paxos v1.
     */
    @Test
    void everyNodeRunsPaxosV2AndTheNewStorageFormat() {
        for (String node : List.of("cassandra1", "cassandra2", "cassandra3")) {
            Cluster.Task task = cluster.requireContainer(node);
            // One JSON event of about 16 KB, near the size past which Docker stores a log line in
            // parts: polled until it parses whole, so a setting missing is missing, not cut off.
            String configuration = Cluster.waitForValue(node + " logged its whole Node configuration",
                    Duration.ofSeconds(60), () -> configurationMessage(task), message -> message.endsWith("]"));
            for (String setting : List.of("paxos_variant=v2;", "paxos_state_purging=gc_grace;",
                    "storage_compatibility_mode=NONE;")) {
                String name = setting.substring(0, setting.indexOf('=') + 1);
                int at = configuration.indexOf(name);
                assertTrue(configuration.contains(setting), node + " runs with " + setting + " (its configuration, "
                        + configuration.length() + " characters, has "
                        + (at < 0 ? "no " + name : configuration.substring(at, Math.min(at + 60, configuration.length()))) + ")");
            }
        }
    }

    /** The message of the first "Node configuration" event in the node's container log. */
    private String configurationMessage(Cluster.Task task) {
        String line = cluster.onNode(task.node(), "logs", task.container()).orFail("logs of " + task.container())
                .output().lines().filter(l -> l.contains("Node configuration:[")).findFirst()
                .orElseThrow(() -> new AssertionError(task.container() + " logged no Node configuration yet"));
        try {
            return Cluster.JSON.readTree(line).path("message").asText();
        } catch (JsonProcessingException e) {
            throw new AssertionError("not one whole JSON event: " + line.length() + " characters", e);
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
