package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault run of issue 9, through edge: 8 clients (2 requests/s each) write to one collection
 * (creates, conditional replaces, merge patches, deletes and reads of their own documents, and
 * patches of one shared document) while a Cassandra node (back on its node with its host id), a
 * storage task and a gate task are each killed once, and gate and storage each go through a
 * rolling update. Zero 5xx, and every acknowledged write is read back afterwards: each document
 * as its one writer was last told, the shared document with every client's last acknowledged
 * field. A request that got no answer at all is sent again with the same Idempotency-Key, as a
 * client would. The run lasts as long as the faults and their recovery (about 7 minutes on the
 * simulated swarm), at least 60 s.
 *
 * <p>A long run, so not in {@code infra/cluster test} (CI is kept under 45 minutes); run it
 * with {@code -Dlong=true}, which also runs the two machine-loss tests
 * ({@link CassandraMachineLossTest}, {@link AppMachineLossTest}). Each of its faults is in the
 * default suite in a shorter form: Cassandra nodes stopped and back with their host ids and the
 * writes they missed ({@link StorageQuorumTest}), a gate killed ({@link PublicApiTest}), a
 * storage task killed ({@link SpoolRecoveryTest}), an edge machine lost under clients that count
 * every answer ({@link RedisPrimaryMachineLossTest}), gate and storage rolled twice under clients
 * that read every acknowledged write back ({@link SecretRotationTest}). This run puts them in one
 * load, on one collection.
 */
@Order(140)
@EnabledIfSystemProperty(named = "long", matches = "true")
class FaultRunTest {

    private static final int CLIENTS = 8;
    /** Requests per second per client: about two thirds of what this machine serves while it
     *  restarts tasks, so restarts are not starved (an unpaced run took 2 minutes per gate start). */
    private static final int PER_CLIENT_RATE = 2;
    private static final Duration MIN_LOAD = Duration.ofSeconds(60);
    /** Both rolling updates, run at once (each about 2 minutes on the simulated swarm). */
    private static final Duration ROLLS_WITHIN = Duration.ofMinutes(6);

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge().withTimeout(Duration.ofSeconds(20));
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong unanswered = new AtomicLong();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    /** What one client was told about one of its documents (null body: deleted). */
    record Expected(long version, JsonNode body) {
    }

    @Test
    void noClientSeesA5xxAndNoAcknowledgedWriteIsLost() throws Exception {
        String password = "fault run " + UUID.randomUUID();
        String user = "faults" + System.currentTimeMillis();
        String admin = edge.login("admin", cluster.adminPassword());
        HttpResponse<String> created = edge.send("POST", "/api/v1/users", admin,
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String token = edge.login(user, password);
        String docs = "/api/v1/collections/faults/documents";
        assertEquals(201, send("PUT", docs + "/shared", token, "{}", "If-None-Match", "*").statusCode());

        AtomicBoolean running = new AtomicBoolean(true);
        List<Map<String, Expected>> expected = new ArrayList<>();
        long[] sharedAcked = new long[CLIENTS];
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Map<String, Expected> mine = new HashMap<>();
            expected.add(mine);
            int client = c;
            Thread thread = new Thread(() -> clientLoop(client, token, docs, mine, sharedAcked, running), "client-" + c);
            thread.start();
            clients.add(thread);
        }
        long start = System.nanoTime();
        AssertionError recovery = null;
        try {
            faults();
            while (Duration.ofNanos(System.nanoTime() - start).compareTo(MIN_LOAD) < 0) {
                Thread.sleep(1000);
            }
        } catch (AssertionError e) {
            // The cluster did not come back (in time, or as it was): still count and check what the clients saw.
            recovery = e;
        } finally {
            running.set(false);
            for (Thread thread : clients) {
                thread.join(60_000);
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        // Read every acknowledged write back, after the cluster settled: each client's documents
        // by a reader of its own, as eight clients would.
        AtomicLong checked = new AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Callable<Void>> readBacks = new ArrayList<>();
            for (Map<String, Expected> mine : expected) {
                readBacks.add(() -> {
                    mine.forEach((id, want) -> {
                        readBack(docs + "/" + id, id, want, token);
                        checked.incrementAndGet();
                    });
                    return null;
                });
            }
            for (Future<Void> done : readers.invokeAll(readBacks)) {
                done.get();
            }
        } finally {
            readers.shutdownNow();
        }
        JsonNode shared = Edge.json(send("GET", docs + "/shared", token, null)).path("body");
        for (int c = 0; c < CLIENTS; c++) {
            if (sharedAcked[c] > 0 && shared.path("c" + c).asLong() < sharedAcked[c]) {
                failures.add("shared.c" + c + " is " + shared.path("c" + c) + ", acknowledged " + sharedAcked[c]);
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long fiveXx = counts.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(Map.Entry::getValue).sum();
        cluster.report("fault run (" + CLIENTS + " clients at " + PER_CLIENT_RATE + " requests/s, one collection, "
                + seconds + " s; cassandra2, a storage task and a gate task killed once each, rolling update of"
                + " gate and storage): " + total + " requests, statuses "
                + counts + ", " + unanswered.get() + " sent again after no answer, " + checked
                + " acknowledged documents read back, " + failures.size() + " lost or wrong");
        if (recovery != null) {
            throw new AssertionError("the cluster did not come back from a fault as it should (" + recovery.getMessage()
                    + "); clients saw " + counts + ", " + failures.size() + " lost or wrong: " + failures, recovery);
        }
        assertEquals(0, fiveXx, "no 5xx: " + counts);
        assertEquals(List.of(), failures, "every acknowledged write read back");
        assertTrue(checked.get() > 100, "the run wrote enough to mean something: " + checked);
    }

    /** One acknowledged document read as its writer was last told: its version and body, or gone. */
    private void readBack(String path, String id, Expected want, String token) {
        HttpResponse<String> read = send("GET", path, token, null);
        if (want.body() == null) {
            if (read.statusCode() != 404) {
                failures.add("deleted " + id + " reads " + read.statusCode());
            }
        } else if (read.statusCode() != 200) {
            failures.add("acknowledged " + id + " reads " + read.statusCode());
        } else {
            JsonNode got = Edge.json(read);
            if (got.path("version").asLong() != want.version() || !got.path("body").equals(want.body())) {
                failures.add(id + ": told version " + want.version() + " " + want.body()
                        + ", reads " + got.path("version") + " " + got.path("body"));
            }
        }
    }

    /** The faults, in order, while the clients run; each waits until the cluster has recovered. */
    private void faults() {
        Cluster.waitFor("the clients under way (100 answers)", Duration.ofMinutes(1),
                () -> statuses.values().stream().mapToLong(AtomicLong::get).sum() >= 100);
        Cluster.Task node = cluster.requireContainer("cassandra2");
        String hostId = cluster.hostId("cassandra2");
        cluster.kill(node).orFail("kill cassandra2");
        Cluster.waitFor("cassandra2 back and the ring 3 x UN", Duration.ofMinutes(6),
                () -> cluster.container("cassandra2").filter(c -> !c.container().equals(node.container())).isPresent()
                        && cluster.healthy("cassandra2") && cluster.ringNodes("UN") == 3);
        // Its labelled node and its volume: the same identity, not a new member of the ring.
        assertEquals(node.node(), cluster.requireContainer("cassandra2").node(), "cassandra2 on its labelled node again");
        assertEquals(hostId, cluster.hostId("cassandra2"), "cassandra2 kept its host id (its data directory)");
        kill("storage");
        kill("gate");
        // Both services roll at once, each one task at a time (stack.yml's update_config): a
        // client meets a restarting gate and a restarting storage in the same minutes.
        long rollsStarted = System.nanoTime();
        startRollingUpdate("gate");
        startRollingUpdate("storage");
        waitForRollingUpdate("gate", ROLLS_WITHIN);
        waitForRollingUpdate("storage", ROLLS_WITHIN.minusNanos(System.nanoTime() - rollsStarted));
    }

    private void kill(String service) {
        List<Cluster.Task> before = cluster.containers(service);
        Cluster.Task killed = before.get(0);
        cluster.kill(killed).orFail("kill " + service);
        // Right after the kill the engine may still list the killed container as healthy: wait
        // for its replacement, not for the old count.
        Cluster.waitFor(service + " back to " + before.size() + " healthy tasks, the killed one replaced",
                Duration.ofMinutes(3), () -> {
                    List<Cluster.Task> now = cluster.containers(service);
                    return now.size() == before.size()
                            && now.stream().noneMatch(c -> c.container().equals(killed.container()))
                            && now.stream().allMatch(c -> "healthy".equals(cluster.health(c)));
                });
    }

    private void startRollingUpdate(String service) {
        cluster.docker("service", "update", "--force", "--detach", cluster.serviceName(service))
                .orFail("rolling update of " + service);
    }

    /** Waits until the update has completed and every task is healthy; a rollback or pause fails at once. */
    private void waitForRollingUpdate(String service, Duration within) {
        AtomicReference<String> seen = new AtomicReference<>("nothing");
        try {
            Cluster.waitFor("rolling update of " + service + " finished", within, () -> {
                String status = cluster.docker("service", "inspect", "--format",
                        "{{if .UpdateStatus}}{{.UpdateStatus.State}}: {{.UpdateStatus.Message}}{{end}}",
                        cluster.serviceName(service)).output().strip();
                List<String> health = cluster.containers(service).stream()
                        .map(c -> c.node() + " " + cluster.health(c)).toList();
                seen.set("update " + status + "; tasks " + health);
                return status.startsWith("rollback") || status.startsWith("paused")
                        || status.startsWith("completed") && health.stream().allMatch(h -> h.endsWith(" healthy"));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last seen: " + seen.get() + ")", e);
        }
        assertTrue(seen.get().startsWith("update completed"), service + "'s rolling update did not complete: " + seen.get());
    }

    private void clientLoop(int client, String token, String docs, Map<String, Expected> mine, long[] sharedAcked,
                            AtomicBoolean running) {
        List<String> live = new ArrayList<>();
        long sharedCounter = 0;
        Pace pace = new Pace(PER_CLIENT_RATE);
        while (running.get()) {
            pace.await();
            int dice = ThreadLocalRandom.current().nextInt(100);
            try {
                if (live.isEmpty() || dice < 25) {
                    String body = "{\"client\":" + client + ",\"n\":" + dice + "}";
                    HttpResponse<String> answer = write("POST", docs, token, body);
                    if (answer != null && answer.statusCode() == 201) {
                        JsonNode document = Edge.json(answer);
                        String id = document.path("id").asText();
                        live.add(id);
                        mine.put(id, new Expected(document.path("version").asLong(), document.path("body")));
                    }
                } else if (dice < 50) {
                    String id = live.get(ThreadLocalRandom.current().nextInt(live.size()));
                    Expected now = mine.get(id);
                    HttpResponse<String> answer = write("PUT", docs + "/" + id, token,
                            "{\"client\":" + client + ",\"replaced\":" + dice + "}", "If-Match", "\"" + now.version() + "\"");
                    if (answer != null && answer.statusCode() == 200) {
                        JsonNode document = Edge.json(answer);
                        mine.put(id, new Expected(document.path("version").asLong(), document.path("body")));
                    }
                } else if (dice < 65) {
                    String id = live.get(ThreadLocalRandom.current().nextInt(live.size()));
                    HttpResponse<String> answer = write("PATCH", docs + "/" + id, token, "{\"patched\":" + dice + "}");
                    if (answer != null && answer.statusCode() == 200) {
                        JsonNode document = Edge.json(answer);
                        mine.put(id, new Expected(document.path("version").asLong(), document.path("body")));
                    }
                } else if (dice < 75) {
                    sharedCounter++;
                    HttpResponse<String> answer = write("PATCH", docs + "/shared", token,
                            "{\"c" + client + "\":" + sharedCounter + "}");
                    if (answer != null && answer.statusCode() == 200) {
                        sharedAcked[client] = sharedCounter;
                    }
                } else if (dice < 80) {
                    String id = live.remove(ThreadLocalRandom.current().nextInt(live.size()));
                    HttpResponse<String> answer = write("DELETE", docs + "/" + id, token, null,
                            "If-Match", "\"" + mine.get(id).version() + "\"");
                    if (answer != null && answer.statusCode() == 204) {
                        mine.put(id, new Expected(0, null));
                    } else {
                        live.add(id);
                    }
                } else {
                    String id = live.get(ThreadLocalRandom.current().nextInt(live.size()));
                    HttpResponse<String> read = send("GET", docs + "/" + id, token, null);
                    count(read.statusCode());
                    Expected want = mine.get(id);
                    if (read.statusCode() == 200 && Edge.json(read).path("version").asLong() != want.version()) {
                        failures.add("client " + client + " read " + id + " at " + Edge.json(read).path("version")
                                + ", was told " + want.version());
                    }
                }
            } catch (RuntimeException e) {
                failures.add("client " + client + ": " + e);
            }
        }
    }

    /** A write with its own key; sent again with the same key while no answer comes (at most 5 times). */
    private HttpResponse<String> write(String method, String path, String token, String body, String... headers) {
        String key = "\"" + UUID.randomUUID() + "\"";
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(List.of("Idempotency-Key", key));
        if (method.equals("PATCH")) {
            all.addAll(List.of("Content-Type", "application/merge-patch+json"));
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpResponse<String> answer = send(method, path, token, body, all.toArray(String[]::new));
                count(answer.statusCode());
                if (answer.statusCode() >= 500) {
                    failures.add(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
                    return null;
                }
                return answer;
            } catch (UncheckedIOException e) {
                unanswered.incrementAndGet();
            }
        }
        failures.add(method + " " + path + ": no answer after 5 attempts");
        return null;
    }

    private HttpResponse<String> send(String method, String path, String token, String body, String... headers) {
        return edge.send(method, path, token, body, headers);
    }

    private void count(int status) {
        statuses.computeIfAbsent(String.valueOf(status), s -> new AtomicLong()).incrementAndGet();
    }

}
