package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `infra/cluster up` from a state with no stack deployed brings every tier up healthy, and a
 * second `up` changes nothing and is much faster. Ordered first, since its first up is the one
 * every later class uses; run anywhere else, it costs one more up and leaves the cluster healthy.
 */
@Order(1)
class ClusterLifecycleTest {

    private static final List<String> SERVICES = List.of("edge", "gate", "storage", "cassandra1", "cassandra2",
            "cassandra3", "redis1", "redis2", "sentinel1", "sentinel2", "sentinel3", "elasticsearch", "edge-logs", "prometheus");

    private static Duration firstUp;

    private final Cluster cluster = new Cluster();

    @Test
    @Order(1)
    void upFromNoStackBringsEveryServiceUpHealthy() {
        cluster.clusterCommand(Duration.ofMinutes(5), "down").orFail("infra/cluster down");
        assertFalse(cluster.stackDeployed(), "no stack is deployed before the first up");

        Shell.Result up = cluster.clusterCommand(Duration.ofMinutes(25), "up").orFail("infra/cluster up");
        firstUp = up.took();
        cluster.report("first up (no stack deployed, images built): " + firstUp.toSeconds() + " s");
        for (java.net.URI edge : cluster.edgeUrls()) {
            assertTrue(up.output().contains(edge + "/api/v1/"), "up prints where to reach the API: " + edge);
        }

        assertEquals(3, cluster.ringNodes("UN"), "nodetool status shows three nodes Up/Normal");
        for (String service : SERVICES) {
            List<Cluster.Task> containers = cluster.containers(service);
            assertFalse(containers.isEmpty(), service + " has a running container");
            for (Cluster.Task container : containers) {
                assertEquals("healthy", cluster.health(container), service + " container " + container + " is healthy");
            }
        }
        assertEquals(cluster.nodesWithLabel("edge").size(), cluster.containers("edge").size(), "one edge per edge node");
        assertEquals(2, cluster.containers("gate").size(), "two gate replicas");
        assertEquals(2, cluster.containers("storage").size(), "two storage replicas");

        // The drivers in storage learn of the last node to start a little after Cassandra
        // does: wait for both storage instances to see the whole ring.
        JsonNode health = Cluster.waitForValue("gate's /health (management port): UP, both storages seeing 3 nodes",
                Duration.ofSeconds(90), () -> cluster.gateHealth(cluster.requireContainer("gate")), Cluster::wholeChainUp);
        assertEquals("{\"status\":\"UP\"}", bareHealthThroughEdge(), "edge's /health: bare, UP");
        JsonNode details = health.path("details");
        assertEquals("UP", health.path("status").asText(), health.toString());
        assertEquals("UP", details.path("redis").path("status").asText(), "gate → Redis check: " + health);
        JsonNode storage = details.path("storage");
        assertEquals("UP", storage.path("status").asText(), "gate → storage check: " + health);
        assertEquals(2, storage.path("details").size(), "both storage instances answered: " + storage);
    }

    private String bareHealthThroughEdge() {
        HttpResponse<String> response = cluster.edgeGet("/health");
        assertEquals(200, response.statusCode(), "GET /health through edge: " + response.body());
        return response.body();
    }

    @Test
    @Order(2)
    void secondUpChangesNothingAndIsMuchFaster() {
        Set<String> tasksBefore = runningTasks();

        Shell.Result again = cluster.clusterCommand(Duration.ofMinutes(10), "up").orFail("second infra/cluster up");
        cluster.report("second up (idempotent): " + again.took().toSeconds() + " s");

        assertEquals(tasksBefore, runningTasks(), "the second up replaced no task");
        assertTrue(again.output().contains("reused"), "images were reused, not rebuilt");
        if (firstUp != null) {
            assertTrue(again.took().compareTo(firstUp.dividedBy(2)) < 0,
                    "second up (" + again.took().toSeconds() + " s) much faster than the first ("
                            + firstUp.toSeconds() + " s)");
        }
    }

    private Set<String> runningTasks() {
        String out = cluster.docker("stack", "ps", Cluster.STACK, "-q", "--filter", "desired-state=running")
                .orFail("docker stack ps").output();
        return new TreeSet<>(out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }
}
