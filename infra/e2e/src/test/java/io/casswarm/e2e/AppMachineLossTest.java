package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application machine is lost: the edge node that holds the Redis replica (not the primary),
 * first given one gate and one storage task. Clients of the other edge see no failed request;
 * clients that were using the lost edge move to the other one (as DNS round-robin clients do)
 * after a failed attempt; the lost gate and storage tasks are rescheduled on other nodes.
 *
 * <p>A long run (about 4 minutes: the machine's return), so behind {@code -Dlong=true} with the
 * fault run, to keep CI under 45 minutes. In the default suite, {@link RedisPrimaryMachineLossTest}
 * loses an edge machine under clients, {@link PublicApiTest} a gate and {@link SpoolRecoveryTest}
 * a storage task.
 */
@Order(110)
@EnabledIfSystemProperty(named = "long", matches = "true")
@EnabledIfEnvironmentVariable(named = "CASSWARM_SIM", matches = ".+")
class AppMachineLossTest {

    private final Cluster cluster = new Cluster();

    @Test
    void edgeGateAndStorageMachineLostFailsNoIdempotentRequest() throws Exception {
        String primaryNode = cluster.requireContainer(cluster.redisPrimary()).node();
        String machine = cluster.nodesWithLabel("edge").stream().filter(n -> !n.equals(primaryNode)).findFirst().orElseThrow();
        cluster.spreadOver(machine, cluster.managerNode(), "gate", "storage");
        URI lostEdge = edgeOn(machine);
        URI otherEdge = cluster.edgeUrls().stream().filter(u -> !u.equals(lostEdge)).findFirst().orElseThrow();
        String token = cluster.edge().login("admin", cluster.adminPassword());
        String run = UUID.randomUUID().toString().substring(0, 8);

        // Clients of the surviving edge, and clients whose edge is the lost one (the second
        // address is where they go when it stops answering).
        // An attempt that gets no answer within 10 s is given up for the other address.
        Edge viaOther = cluster.edge().of(List.of(otherEdge, lostEdge), Duration.ofSeconds(10));
        Edge viaLost = cluster.edge().of(List.of(lostEdge, otherEdge), Duration.ofSeconds(10));
        AtomicReference<Instant> lostAnswering = new AtomicReference<>();
        Instant stopped;
        try (Traffic other = new Traffic(viaOther, token, "app-loss-a-" + run, 2, 5, 4);
             Traffic moving = new Traffic(viaLost, token, "app-loss-b-" + run, 2, 5, 4)) {
            other.await(100, Duration.ofMinutes(2));
            stopped = Instant.now();
            cluster.sim(Duration.ofMinutes(1), "stop", machine).orFail("stop " + machine);
            Cluster.waitFor("gate and storage rescheduled: two of each running, none on " + machine, Duration.ofMinutes(6), () -> {
                Map<String, List<String>> placement = cluster.placement();
                return placement.getOrDefault("gate", List.of()).size() == 2
                        && placement.getOrDefault("storage", List.of()).size() == 2
                        && !placement.get("gate").contains(machine) && !placement.get("storage").contains(machine);
            });
            Duration rescheduled = Duration.between(stopped, Instant.now());
            other.await(200, Duration.ofMinutes(2));
            moving.await(50, Duration.ofMinutes(2));

            cluster.sim(Duration.ofMinutes(2), "start", machine).orFail("start " + machine);
            Edge pinned = cluster.edge().only(lostEdge).withTimeout(Duration.ofSeconds(3));
            Cluster.waitFor("the edge on " + machine + " answers again", Duration.ofMinutes(4), () -> {
                try {
                    boolean up = pinned.send("GET", "/health", null, null).statusCode() == 200;
                    if (up) {
                        lostAnswering.compareAndSet(null, Instant.now());
                    }
                    return up;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            other.close();
            moving.close();

            List<String> lost = other.verifyAcknowledgedWrites();
            lost.addAll(moving.verifyAcknowledgedWrites());
            cluster.report(String.format("machine %s lost (edge, gate, storage, Redis replica): clients of the other edge "
                            + "%d requests, %d failed, slowest %d ms; clients of the lost edge %d requests, %d failed, moved to the "
                            + "other edge %d times, slowest answer %d ms; gate and storage running elsewhere %d s after the stop; %d acknowledged writes lost; "
                            + "a client pinned to the lost edge alone saw errors for %d s (until the machine was back)",
                    machine, other.requests(), other.failures().size(), other.slowestMillis(), moving.requests(),
                    moving.failures().size(), viaLost.switches(), moving.slowestMillis(), rescheduled.toSeconds(), lost.size(),
                    Duration.between(stopped, lostAnswering.get()).toSeconds()));
            assertTrue(other.failures().isEmpty(), "no request through the other edge failed: " + first(other.failures()));
            assertTrue(moving.failures().isEmpty(), "clients of the lost edge failed no request: " + first(moving.failures()));
            assertTrue(viaLost.switches() >= 1, "clients of the lost edge moved to the other one");
            assertTrue(lost.isEmpty(), "every acknowledged write reads back: " + lost);
        }
        Cluster.waitFor("two edges and Redis replica back", Duration.ofMinutes(4), () ->
                cluster.placement().getOrDefault("edge", List.of()).size() == 2
                        && cluster.container("redis1").filter(Cluster.Task::running).isPresent()
                        && cluster.container("redis2").filter(Cluster.Task::running).isPresent());
        HttpResponse<String> health = cluster.edge().only(lostEdge).send("GET", "/health", null, null);
        assertEquals(200, health.statusCode(), health.body());
        assertFalse(cluster.placement().get("edge").isEmpty());
    }

    private URI edgeOn(String node) {
        return cluster.edgeUrlOn(node);
    }

    private static List<Traffic.Failure> first(List<Traffic.Failure> failures) {
        return failures.subList(0, Math.min(10, failures.size()));
    }
}
