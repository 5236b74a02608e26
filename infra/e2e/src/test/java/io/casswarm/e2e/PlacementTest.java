package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Placement by node label is honoured: without the cassandra3 label no node is suitable and
 * the task waits, pending; with the label back it is scheduled again and rejoins the ring.
 */
@Order(40)
class PlacementTest {

    private final Cluster cluster = new Cluster();

    @Test
    void taskStaysPendingWithoutItsLabelAndReturnsWithIt() {
        String node = cluster.nodesWithLabel("cassandra3").get(0);
        try {
            cluster.docker("node", "update", "--label-rm", "cassandra3", node).orFail("remove label");
            Cluster.waitFor("cassandra3 pending with no suitable node", Duration.ofMinutes(2), () -> {
                String tasks = cluster.docker("service", "ps", cluster.serviceName("cassandra3"),
                        "--filter", "desired-state=running", "--no-trunc",
                        "--format", "{{.CurrentState}} {{.Error}}").output();
                return tasks.contains("Pending") && tasks.contains("no suitable node")
                        && cluster.container("cassandra3").isEmpty();
            });
        } finally {
            cluster.docker("node", "update", "--label-add", "cassandra3=true", node).orFail("restore label");
        }
        Duration scheduled = Cluster.waitFor("cassandra3 running again", Duration.ofMinutes(3),
                () -> cluster.container("cassandra3").isPresent());
        Cluster.waitFor("cassandra3 healthy", Duration.ofMinutes(5),
                () -> cluster.healthy("cassandra3"));
        Duration ring = Cluster.waitFor("ring back to 3 x UN", Duration.ofMinutes(5),
                () -> cluster.ringNodes("UN") == 3);
        cluster.report("cassandra3 label restored: running after " + scheduled.toSeconds() + " s, ring 3 x UN after "
                + (scheduled.toSeconds() + ring.toSeconds()) + " s");
        assertTrue(cluster.container("cassandra3").isPresent());
    }
}
