package io.casswarm.storage.document;

import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contention issue 9 measured: 32 writes in flight for 30 s to different documents of ONE
 * collection (creates, conditional replaces, merge patches). With a partition per document
 * no two of them share a Paxos instance: zero CAS timeouts (no 503, nothing unanswered), and
 * every acknowledged write is read back at the version it was told.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
class ConcurrentWritersTest {

    private static final int IN_FLIGHT = 32;
    private static final int SECONDS = Integer.getInteger("writers.seconds", 30);

    @Inject
    EmbeddedServer server;

    @Test
    void thirtyTwoWritersOnOneCollectionNeverTimeOut() throws Exception {
        Api api = new Api(server.getURI());
        String docs = "/internal/v1/tenants/w" + UUID.randomUUID().toString().substring(0, 8)
                + "/collections/busy/documents";
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        AtomicLong writes = new AtomicLong();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        int n = 0;
        while (System.nanoTime() < end) {
            inFlight.acquire();
            String id = "d" + (n++);
            // A chain per document: create, then (own document, so never contended) a
            // conditional replace and a merge patch, each on the version the last one produced.
            api.request("POST", docs).json(Map.of("id", id, "body", Map.of("step", 0))).sendAsync()
                    .thenCompose(created -> {
                        statuses.merge(created.status() + " create", 1, Integer::sum);
                        if (created.status() != 201) {
                            throw new IllegalStateException("create " + created.status());
                        }
                        acknowledged.put(id, 1L);
                        return api.request("PUT", docs + "/" + id).header("If-Match", "\"1\"")
                                .json(Map.of("body", Map.of("step", 1, "pad", "x".repeat(ThreadLocalRandom.current()
                                        .nextInt(10, 500))))).sendAsync();
                    })
                    .thenCompose(replaced -> {
                        statuses.merge(replaced.status() + " replace", 1, Integer::sum);
                        if (replaced.status() != 200) {
                            throw new IllegalStateException("replace " + replaced.status());
                        }
                        acknowledged.put(id, 2L);
                        return api.request("PATCH", docs + "/" + id)
                                .body("application/merge-patch+json", "{\"step\":2}").sendAsync();
                    })
                    .whenComplete((patched, failure) -> {
                        writes.addAndGet(3);
                        if (failure == null) {
                            statuses.merge(patched.status() + " patch", 1, Integer::sum);
                            if (patched.status() == 200) {
                                acknowledged.put(id, 3L);
                            }
                        } else {
                            statuses.merge("failed", 1, Integer::sum);
                        }
                        inFlight.release();
                    });
        }
        assertTrue(inFlight.tryAcquire(IN_FLIGHT, 2, TimeUnit.MINUTES), "every request answered");
        System.out.printf("concurrent writers: %d chains, %d writes in %d s, statuses %s%n", n, writes.get(),
                SECONDS, statuses);
        statuses.forEach((status, count) -> assertTrue(status.startsWith("201") || status.startsWith("200"),
                "no 503 (CAS timeout) or other failure: " + statuses));
        assertEquals(n, acknowledged.size());
        for (Map.Entry<String, Long> document : acknowledged.entrySet()) {
            Api.Reply read = api.get(docs + "/" + document.getKey());
            assertEquals(200, read.status());
            assertEquals(document.getValue(), read.json().get("version").asLong(), document.getKey());
            assertEquals(document.getValue() - 1, read.json().at("/body/step").asLong());
        }
    }
}
