package io.casswarm.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients reading and writing through edge while a fault happens, as the fault tests need them:
 * each client owns a few documents, replaces them (PUT, idempotent: a retried replace writes the
 * same value again) and reads them back, and every answer is counted. A write counts as
 * acknowledged when it was answered 200; {@link #verifyAcknowledgedWrites} reads each document
 * afterwards and checks it holds the last acknowledged value (or a later attempted one).
 */
final class Traffic implements AutoCloseable {

    /** One answer that was not a success: when, what, and how long the request took. */
    record Failure(Instant at, String request, String outcome, long millis) {
        @Override
        public String toString() {
            return at + " " + request + " → " + outcome + " (" + millis + " ms)";
        }
    }

    private final Edge edge;
    private final String token;
    private final int perClientRate;
    private final String collectionPath;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong slowestMillis = new AtomicLong();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, long[]> written = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Creates {@code docsPerClient} documents per client, then starts the clients, each sending
     * at most {@code perClientRate} requests per second ({@link Pace}).
     */
    Traffic(Edge edge, String token, String collection, int clients, int docsPerClient, int perClientRate) {
        this.edge = edge;
        this.token = token;
        this.perClientRate = perClientRate;
        this.collectionPath = "/api/v1/collections/" + collection + "/documents/";
        for (int c = 0; c < clients; c++) {
            for (int d = 0; d < docsPerClient; d++) {
                String id = "c" + c + "-d" + d;
                HttpResponse<String> created = edge.send("PUT", collectionPath + id, token, "{\"n\":0}", "If-None-Match", "*");
                if (created.statusCode() != 201) {
                    throw new AssertionError("create " + id + ": " + created.statusCode() + " " + created.body());
                }
                written.put(id, new long[] {0, 0});
            }
        }
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client, docsPerClient), "traffic-" + c);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void run(int client, int docs) {
        long n = 0;
        Pace pace = new Pace(perClientRate);
        while (running.get()) {
            pace.await();
            String id = "c" + client + "-d" + (n % docs);
            long[] state = written.get(id);
            boolean write = n % 2 == 0;
            long value = state[1] + 1;
            String request = (write ? "PUT " : "GET ") + id;
            long start = System.nanoTime();
            if (write) {
                state[1] = value;
            }
            try {
                HttpResponse<String> response = write
                        ? edge.send("PUT", collectionPath + id, token, "{\"n\":" + value + "}")
                        : edge.send("GET", collectionPath + id, token, null);
                slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                if (response.statusCode() != 200) {
                    fail(request, response.statusCode() + " " + abbreviate(response.body()), start);
                } else if (write) {
                    state[0] = value;
                } else {
                    long seen = Edge.json(response).path("body").path("n").asLong(-1);
                    if (seen < state[0] || seen > state[1]) {
                        fail(request, "read n=" + seen + ", acknowledged " + state[0] + ", attempted " + state[1], start);
                    }
                }
            } catch (RuntimeException e) {
                fail(request, e.toString(), start);
            }
            requests.incrementAndGet();
            n++;
        }
    }

    private void fail(String request, String outcome, long startNanos) {
        failures.add(new Failure(Instant.now(), request, outcome, (System.nanoTime() - startNanos) / 1_000_000));
    }

    long requests() {
        return requests.get();
    }

    /** The longest time any answered request took (a request moved to another edge included). */
    long slowestMillis() {
        return slowestMillis.get();
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Waits until the clients have made this many more requests. */
    void await(long more, Duration timeout) {
        long target = requests() + more;
        Cluster.waitFor(more + " more client requests", timeout, () -> requests() >= target);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /** Reads every document back; returns the ones not holding their last acknowledged value. */
    List<String> verifyAcknowledgedWrites() {
        List<String> lost = new ArrayList<>();
        written.forEach((id, state) -> {
            HttpResponse<String> read = edge.send("GET", collectionPath + id, token, null);
            long seen = read.statusCode() == 200 ? Edge.json(read).path("body").path("n").asLong(-1) : -1;
            if (seen < state[0] || seen > state[1]) {
                lost.add(id + ": " + read.statusCode() + " n=" + seen + ", acknowledged " + state[0]);
            }
        });
        return lost;
    }

    long acknowledgedWrites() {
        return written.values().stream().mapToLong(state -> state[0]).sum();
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
