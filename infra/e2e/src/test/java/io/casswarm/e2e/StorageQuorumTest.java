package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Storage on a degraded ring: with one of three Cassandra nodes stopped, quorum reads and
 * writes go on; with two stopped, storage answers 503 with Retry-After (not a 500); when
 * the nodes return, storage recovers by itself, without a restart. The stopped nodes come back
 * as themselves (same host ids: their data volumes), and a row written while cassandra3 was
 * away reaches its disk (hints).
 */
@Order(50)
class StorageQuorumTest {

    private static final String COLLECTION = "/internal/v1/tenants/e2e/collections/quorum/documents";

    private final Cluster cluster = new Cluster();

    @Test
    void oneNodeDownStillServesTwoDownIs503ThenRecovers() {
        List<String> storageBefore = containerIds();
        Map<String, String> hostIds = Map.of("cassandra2", cluster.hostId("cassandra2"), "cassandra3", cluster.hostId("cassandra3"));
        cluster.cqlProbe("cassandra1", "schema").orFail("probe schema");
        String probeRow = "while-away-" + UUID.randomUUID();
        try {
            scale("cassandra3", 0);
            Cluster.waitFor("cassandra3 down in the ring", Duration.ofMinutes(2), () -> cluster.ringNodes("DN") == 1);
            cluster.cqlProbe("cassandra1", "write", probeRow).orFail("write a row while cassandra3 is away");
            String id = "one-down-" + UUID.randomUUID();
            Cluster.waitFor("a quorum write with one node down", Duration.ofSeconds(60), () ->
                    cluster.storage("POST", COLLECTION, "{\"id\":\"" + id + "\",\"body\":{\"n\":1}}").status() == 201);
            Cluster.Answer read = cluster.storage("GET", COLLECTION + "/" + id, null);
            assertEquals(200, read.status(), read.body());

            scale("cassandra2", 0);
            Cluster.waitFor("cassandra2 down in the ring too", Duration.ofMinutes(2), () -> cluster.ringNodes("DN") == 2);
            Cluster.Answer refused = Cluster.waitForValue("storage answers 503 with two nodes down", Duration.ofSeconds(60),
                    () -> cluster.storage("POST", COLLECTION, "{\"body\":{\"n\":2}}"), answer -> answer.status() == 503);
            assertFalse(refused.retryAfter().isBlank(), "503 carries Retry-After");
            assertEquals("application/problem+json", refused.contentType(), refused.body());
            Cluster.Answer unreadable = cluster.storage("GET", COLLECTION + "/" + id, null);
            assertEquals(503, unreadable.status(), unreadable.body());
        } finally {
            // Even after a failed assertion: the tests after this one need the whole ring.
            scale("cassandra2", 1);
            scale("cassandra3", 1);
            Cluster.waitFor("ring back to 3 x UN", Duration.ofMinutes(5), () -> cluster.ringNodes("UN") == 3);
        }
        Cluster.waitFor("storage writes again", Duration.ofMinutes(2), () ->
                cluster.storage("POST", COLLECTION, "{\"body\":{\"n\":3}}").status() == 201);
        assertEquals(storageBefore, containerIds(), "storage recovered without a restart");
        hostIds.forEach((node, hostId) -> assertEquals(hostId, cluster.hostId(node), node + " kept its data directory"));
        Duration hinted = Cluster.waitFor("the row written while cassandra3 was away on cassandra3's disk",
                Duration.ofMinutes(3), () -> cluster.probeRowOnDisk("cassandra3", probeRow));
        cluster.report("row written while cassandra3 was stopped found in its SSTables " + hinted.toSeconds()
                + " s after the ring was whole (hints)");
    }

    private List<String> containerIds() {
        return cluster.containers("storage").stream().map(Cluster.Task::container).sorted().toList();
    }

    private void scale(String service, int replicas) {
        cluster.docker("service", "scale", "--detach", cluster.serviceName(service) + "=" + replicas)
                .orFail("scale " + service);
    }
}
