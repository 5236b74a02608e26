package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A drained node (docker node update --availability drain): its stateless tasks move to other
 * nodes; its stateful one (cassandra3) cannot, since its data is there: it stays pending with
 * "no suitable node", and `infra/cluster status` says why. Made active again, the node gets
 * cassandra3 back and the ring is whole.
 */
@Order(130)
@EnabledIfEnvironmentVariable(named = "CASSWARM_SIM", matches = ".+")
class DrainedNodeTest {

    private final Cluster cluster = new Cluster();

    @Test
    void drainedNodeLetsStatelessTasksMoveAndTheStatefulOneWait() {
        String node = cluster.nodesWithLabel("cassandra3").get(0);
        cluster.spreadOver(node, cluster.managerNode(), "gate");
        try {
            cluster.availability(node, "drain");
            Cluster.waitFor("gate moved off " + node + " and cassandra3 pending", Duration.ofMinutes(4), () -> {
                Map<String, List<String>> placement = cluster.placement();
                return placement.getOrDefault("gate", List.of()).size() == 2 && !placement.get("gate").contains(node)
                        && !placement.containsKey("cassandra3");
            });
            String pending = cluster.docker("service", "ps", cluster.serviceName("cassandra3"), "--filter", "desired-state=running",
                    "--no-trunc", "--format", "{{.CurrentState}} {{.Error}}").orFail("service ps").output();
            assertTrue(pending.contains("Pending") && pending.contains("no suitable node"), pending);
            Shell.Result status = cluster.clusterCommand(Duration.ofMinutes(2), "status").orFail("infra/cluster status");
            assertTrue(status.output().contains("cassandra3 runs only on " + node) && status.output().contains("drain"),
                    "status explains the pending cassandra3:\n" + status.output());
            cluster.report("drained " + node + ": gate moved, cassandra3 pending; status says: " + status.output().lines()
                    .filter(l -> l.contains("runs only on")).findFirst().orElse("").strip());
        } finally {
            cluster.availability(node, "active");
        }
        Cluster.waitFor("cassandra3 back on " + node, Duration.ofMinutes(5),
                () -> cluster.container("cassandra3").filter(t -> t.running() && t.node().equals(node)).isPresent());
        Cluster.waitFor("ring back to 3 x UN", Duration.ofMinutes(5), () -> cluster.ringNodes("UN") == 3);
    }
}
