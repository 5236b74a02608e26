package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * `docker kill` of cassandra2's container: swarm starts a new one on the labelled node, it
 * keeps its identity (host id) and its data (volume), and the ring returns to 3 x UN. On a
 * simulated swarm CassandraMachineLossTest checks the same of a whole machine lost, under load.
 */
@Order(30)
@DisabledIfEnvironmentVariable(named = "CASSWARM_SIM", matches = ".+")
class CassandraNodeRestartTest {

    private static final String COLLECTION = "/internal/v1/tenants/e2e/collections/restart/documents";

    private final Cluster cluster = new Cluster();

    @Test
    void killedNodeComesBackWithItsIdentityAndData() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "before-kill-" + i + "-" + UUID.randomUUID();
            Cluster.Answer created = cluster.storage("POST", COLLECTION,
                    "{\"id\":\"" + id + "\",\"body\":{\"i\":" + i + "}}");
            assertEquals(201, created.status(), created.body());
            ids.add(id);
        }
        String hostIdBefore = cluster.hostId("cassandra2");
        Cluster.Task killed = cluster.requireContainer("cassandra2");

        cluster.kill(killed).orFail("docker kill cassandra2");
        Duration back = Cluster.waitFor("a new cassandra2 container running", Duration.ofMinutes(3),
                () -> cluster.container("cassandra2").filter(c -> !c.container().equals(killed.container())).isPresent());
        // Gossip notices a dead node only after some seconds: wait for the new container to
        // serve CQL first, then for the ring (as cassandra1 sees it) to show all three Up.
        Duration healthy = Cluster.waitFor("the new cassandra2 healthy", Duration.ofMinutes(5),
                () -> cluster.healthy("cassandra2"));
        Duration ring = Cluster.waitFor("ring back to 3 x UN", Duration.ofMinutes(3),
                () -> cluster.ringNodes("UN") == 3 && cluster.nodetool("cassandra2", "info").ok());
        cluster.report("cassandra2 killed: new container after " + back.toSeconds() + " s, healthy after "
                + (back.toSeconds() + healthy.toSeconds()) + " s, ring 3 x UN after "
                + (back.toSeconds() + healthy.toSeconds() + ring.toSeconds()) + " s");

        assertNotEquals(killed.container(), cluster.requireContainer("cassandra2").container());
        assertEquals(killed.node(), cluster.requireContainer("cassandra2").node(), "on its labelled node again");
        assertEquals(hostIdBefore, cluster.hostId("cassandra2"), "same host id: it kept its data directory");
        for (String id : ids) {
            Cluster.Answer read = cluster.storage("GET", COLLECTION + "/" + id, null);
            assertEquals(200, read.status(), "row written before the kill is still there: " + read.body());
        }
    }
}
