package io.casswarm.e2e;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API through edge with 2 gates and 2 storages: sessions work on any gate and
 * outlive the gate that issued them and a Redis restart; tenants are isolated. A storage
 * instance lost under clients' reads and writes: {@link AppMachineLossTest} (a long run,
 * {@code -Dlong=true}); in the default suite a storage task is killed by {@link SpoolRecoveryTest}.
 */
@Order(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublicApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ALICE = "alice" + RUN;
    private static final String BOB = "bob" + RUN;
    private static final String PASSWORD = "correct horse " + RUN;

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge();

    @Test
    @Order(1)
    void administratorCreatesTwoUsers() {
        String admin = edge.login("admin", cluster.adminPassword());
        for (String user : List.of(ALICE, BOB)) {
            HttpResponse<String> created = edge.send("POST", "/api/v1/users", admin,
                    "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, created.statusCode(), created.body());
        }
        HttpResponse<String> again = edge.send("POST", "/api/v1/users", admin,
                "{\"username\":\"" + ALICE + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(409, again.statusCode(), again.body());
    }

    @Test
    @Order(2)
    void sessionWorksOnBothGatesAndOutlivesTheGateThatIssuedIt() {
        List<Cluster.Task> gates = cluster.containers("gate");
        assertEquals(2, gates.size(), "two gate containers");
        Map<Cluster.Task, Double> loginsBefore = counts(gates, "POST", "/api/v1/session");
        String token = edge.login(ALICE, PASSWORD);
        Map<Cluster.Task, Double> loginsAfter = counts(gates, "POST", "/api/v1/session");
        Cluster.Task issuer = gates.stream().filter(g -> loginsAfter.get(g) > loginsBefore.get(g)).findFirst()
                .orElseThrow(() -> new AssertionError("no gate counted the login"));

        Map<Cluster.Task, Double> before = counts(gates, "GET", "/api/v1/session");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> me = edge.send("GET", "/api/v1/session", token, null);
            assertEquals(200, me.statusCode(), me.body());
            assertEquals(ALICE, Edge.json(me).path("username").asText());
        }
        Map<Cluster.Task, Double> after = counts(gates, "GET", "/api/v1/session");
        for (Cluster.Task gate : gates) {
            double served = after.get(gate) - before.get(gate);
            cluster.report("who-am-I requests served by gate " + gate.container() + " on " + gate.node() + ": "
                    + (long) served + " of 20");
            assertTrue(served > 0, "gate " + gate + " served some of the session's requests");
        }

        cluster.kill(issuer).orFail("kill the gate that issued the session");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> me = edge.send("GET", "/api/v1/session", token, null);
            assertEquals(200, me.statusCode(), "after the issuing gate died: " + me.body());
        }
        Cluster.waitFor("two healthy gates again", Duration.ofMinutes(3), () -> {
            List<Cluster.Task> now = cluster.containers("gate");
            return now.size() == 2 && now.stream().allMatch(c -> "healthy".equals(cluster.health(c)));
        });
    }

    @Test
    @Order(4)
    void redisPrimaryRestartKeepsSessions() {
        String token = edge.login(BOB, PASSWORD);
        // A graceful restart (SIGTERM) of the primary member: it writes its append-only file out
        // before it exits, swarm starts a new container on the same volume, and the Sentinels
        // either see it back in time or have made the replica primary meanwhile.
        String member = cluster.redisPrimary();
        Cluster.Task redis = cluster.requireContainer(member);
        cluster.stop(redis).orFail("stop " + member);
        Cluster.waitFor("a new " + member + " container, healthy", Duration.ofMinutes(2), () ->
                cluster.container(member).filter(c -> !c.container().equals(redis.container()))
                        .map(c -> "healthy".equals(cluster.health(c))).orElse(false));
        HttpResponse<String> me = Cluster.waitForValue("the session answers again", Duration.ofSeconds(60),
                () -> edge.send("GET", "/api/v1/session", token, null), r -> r.statusCode() != 503);
        assertEquals(200, me.statusCode(), "the session survived the Redis restart: " + me.body());
        assertEquals(BOB, Edge.json(me).path("username").asText());
    }

    @Test
    @Order(5)
    void oneTenantCannotReachAnothersDocuments() {
        String alice = edge.login(ALICE, PASSWORD);
        String bob = edge.login(BOB, PASSWORD);
        String path = "/api/v1/collections/notes/documents/secret" + RUN;
        HttpResponse<String> created = edge.send("PUT", path, alice, "{\"text\":\"alice only\"}", "If-None-Match", "*");
        assertEquals(201, created.statusCode(), created.body());

        assertEquals(404, edge.send("GET", path, bob, null).statusCode(), "bob reads");
        assertEquals(404, edge.send("PUT", path, bob, "{\"text\":\"bob was here\"}").statusCode(), "bob replaces");
        HttpResponse<String> patch = sendMergePatch(path, bob, "{\"text\":\"bob was here\"}");
        assertEquals(404, patch.statusCode(), "bob merge-patches: " + patch.body());
        assertEquals(404, edge.send("DELETE", path, bob, null).statusCode(), "bob deletes");
        HttpResponse<String> list = edge.send("GET", "/api/v1/collections/notes/documents", bob, null);
        assertEquals(200, list.statusCode(), list.body());
        assertFalse(list.body().contains("secret" + RUN), "bob's listing shows none of alice's documents");

        HttpResponse<String> still = edge.send("GET", path, alice, null);
        assertEquals(200, still.statusCode(), still.body());
        assertEquals(1, Edge.json(still).path("version").asLong(), "unchanged: still version 1");
        assertEquals("alice only", Edge.json(still).path("body").path("text").asText());
    }

    @Test
    @Order(6)
    void bulkOfTheLargestSizeIsCreatedThroughEdge() {
        // 100 conditional writes outlast a single call's 5 s on a loaded three-node ring: gate
        // gives a bulk its own time (casswarm.storage.bulk-timeout), inside edge's 30 s.
        String alice = edge.login(ALICE, PASSWORD);
        StringBuilder documents = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < 100; i++) {
            documents.append(i == 0 ? "" : ",").append("{\"body\":{\"n\":").append(i).append("}}");
        }
        HttpResponse<String> bulk = edge.send("POST", "/api/v1/collections/bulk" + RUN + "/bulk", alice,
                documents.append("]}").toString());
        assertEquals(200, bulk.statusCode(), bulk.body());
        long created = Edge.json(bulk).path("items").findValues("status").stream()
                .filter(status -> status.asInt() == 201).count();
        assertEquals(100, created, bulk.body());
    }

    private HttpResponse<String> sendMergePatch(String path, String token, String json) {
        return edge.send("PATCH", path, token, json, "Content-Type", "application/merge-patch+json");
    }

    /** Per gate container: requests counted by its Prometheus endpoint (management port 9090) for one method and route. */
    private Map<Cluster.Task, Double> counts(List<Cluster.Task> gates, String method, String uri) {
        Map<Cluster.Task, Double> counts = new HashMap<>();
        for (Cluster.Task gate : gates) {
            String metrics = cluster.gateManagement(gate, "/prometheus")
                    .orFail("read gate metrics").output();
            double total = metrics.lines()
                    .filter(l -> l.startsWith("http_server_requests_seconds_count{"))
                    .filter(l -> l.contains("method=\"" + method + "\"") && l.contains("uri=\"" + uri + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
            counts.put(gate, total);
        }
        return counts;
    }
}
