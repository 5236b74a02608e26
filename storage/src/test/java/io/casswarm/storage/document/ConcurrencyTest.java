package io.casswarm.storage.document;

import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimistic concurrency under real races: nothing acknowledged is ever lost. */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
class ConcurrencyTest {

    @Inject
    EmbeddedServer server;

    Api api;
    String docs;

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        docs = "/internal/v1/tenants/t" + UUID.randomUUID().toString().substring(0, 8) + "/collections/counters/documents";
    }

    @Test
    void twoConditionalUpdatesOfTheSameVersionExactlyOneWins() {
        for (int round = 0; round < 5; round++) {
            String id = "race" + round;
            api.post(docs, Map.of("id", id, "body", Map.of("writer", "none")));
            CompletableFuture<Reply> a = api.request("PUT", docs + "/" + id).header("If-Match", "\"1\"")
                    .json(Map.of("body", Map.of("writer", "a"))).sendAsync();
            CompletableFuture<Reply> b = api.request("PUT", docs + "/" + id).header("If-Match", "\"1\"")
                    .json(Map.of("body", Map.of("writer", "b"))).sendAsync();
            List<Reply> replies = List.of(a.join(), b.join());
            List<Reply> won = replies.stream().filter(reply -> reply.status() == 200).toList();
            List<Reply> lost = replies.stream().filter(reply -> reply.status() == 412).toList();
            assertEquals(1, won.size(), "exactly one wins");
            assertEquals(1, lost.size(), "the other is told its version is stale");
            assertEquals(2, lost.get(0).json().get("currentVersion").asLong());
            Reply now = api.get(docs + "/" + id);
            assertEquals(2, now.json().get("version").asLong());
            assertEquals(won.get(0).json().at("/body/writer"), now.json().at("/body/writer"));
        }
    }

    @Test
    void fiveHundredConcurrentIncrementsWithConditionalWritesReach500() throws Exception {
        api.post(docs, Map.of("id", "counter", "body", Map.of("n", 0)));
        int workers = 16;
        int increments = 500;
        AtomicInteger remaining = new AtomicInteger(increments);
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        while (true) {
                            Reply current = api.get(docs + "/counter");
                            assertEquals(200, current.status());
                            long n = current.json().at("/body/n").asLong();
                            Reply put = api.request("PUT", docs + "/counter")
                                    .header("If-Match", current.header("ETag"))
                                    .json(Map.of("body", Map.of("n", n + 1))).send();
                            if (put.status() == 200) {
                                break;
                            }
                            assertEquals(412, put.status(), () -> put.raw().body());
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Reply counter = api.get(docs + "/counter");
        assertEquals(increments, counter.json().at("/body/n").asLong());
        assertEquals(increments + 1, counter.json().get("version").asLong());
        System.out.printf("500 increments by %d workers: %d conflicts retried%n", workers, conflicts.get());
    }

    @Test
    void concurrentUnconditionalPatchesAllTakeEffect() {
        api.post(docs, Map.of("id", "merged", "body", Map.of()));
        int patches = 24;
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < patches; i++) {
            replies.add(api.request("PATCH", docs + "/merged")
                    .body("application/merge-patch+json", "{\"f" + i + "\":" + i + "}").sendAsync());
        }
        List<Long> versions = new ArrayList<>();
        for (CompletableFuture<Reply> reply : replies) {
            Reply done = reply.join();
            assertEquals(200, done.status(), () -> done.raw().body());
            versions.add(done.json().get("version").asLong());
        }
        assertEquals(patches, versions.stream().distinct().count(), "every patch produced its own version");
        Reply merged = api.get(docs + "/merged");
        assertEquals(patches + 1, merged.json().get("version").asLong());
        for (int i = 0; i < patches; i++) {
            assertEquals(i, merged.json().at("/body/f" + i).asInt(), "patch " + i + " was kept");
        }
    }

    @Test
    void concurrentUnconditionalReplacesAreSerialized() {
        api.post(docs, Map.of("id", "replaced", "body", Map.of()));
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            replies.add(api.request("PUT", docs + "/replaced").json(Map.of("body", Map.of("i", i))).sendAsync());
        }
        long newest = 0;
        int newestBody = -1;
        List<Long> versions = new ArrayList<>();
        for (CompletableFuture<Reply> reply : replies) {
            Reply done = reply.join();
            assertEquals(200, done.status(), () -> done.raw().body());
            long version = done.json().get("version").asLong();
            versions.add(version);
            if (version > newest) {
                newest = version;
                newestBody = done.json().at("/body/i").asInt();
            }
        }
        assertEquals(12, versions.stream().distinct().count(), "no two replaces were told the same version");
        Reply now = api.get(docs + "/replaced");
        assertEquals(13, now.json().get("version").asLong());
        assertEquals(newestBody, now.json().at("/body/i").asInt(), "the stored body is the newest acknowledged one");
        assertTrue(versions.stream().allMatch(v -> v >= 2 && v <= 13));
    }
}
