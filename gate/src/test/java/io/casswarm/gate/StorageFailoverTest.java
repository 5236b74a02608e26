package io.casswarm.gate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage instances fail; clients do not notice, as long as one instance is left. */
@MicronautTest
class StorageFailoverTest extends GateTestBase {

    private static final String PASSWORD = "failover password";

    @Test
    void aStorageInstanceKilledDuringReadsAndIdempotentWritesFailsNoRequest() throws Exception {
        String admin = api().adminToken();
        String token = api().token(api().newUser(admin, "steady", PASSWORD), PASSWORD);
        String path = "/api/v1/collections/steady/documents/";
        for (int i = 0; i < 4; i++) {
            assertEquals(201, api().putJson(path + "d" + i, token, "{\"n\":0}", "If-None-Match", "*").status());
        }
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    int n = 0;
                    while (running.get()) {
                        n++;
                        rounds.incrementAndGet();
                        Api.Response read = api().get(path + "d" + client, token);
                        if (read.status() != 200) {
                            failures.add("GET " + read);
                        }
                        Api.Response write = api().putJson(path + "d" + client, token, "{\"n\":" + n + "}");
                        if (write.status() != 200) {
                            failures.add("PUT " + write);
                        }
                        Api.Response created = api().postJson("/api/v1/collections/steady/documents", token, "{}");
                        if (created.status() != 201) {
                            failures.add("POST " + created);
                        }
                    }
                    return failures;
                }));
            }
            Api.await("traffic on both instances before the kill", Duration.ofSeconds(30), () -> rounds.get() >= 20);
            TestStack.get().killStorage("127.0.0.2");
            int atKill = rounds.get();
            Api.await("traffic after the kill", Duration.ofSeconds(60), () -> rounds.get() >= atKill + 40);
        } finally {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> result : results) {
            failures.addAll(result.get());
        }
        try {
            assertEquals(List.of(), failures, "no client request may fail while one storage instance is left");
            String prometheus = management().send("GET", "/prometheus", Map.of(), null).body();
            assertTrue(prometheus.contains("casswarm_storage_retries_total"), "retries are counted");
        } finally {
            TestStack.get().restartStorage("127.0.0.2");
        }
    }

    @Test
    void withoutAnyStorageInstanceTheAnswerIs503WithRetryAfter() {
        String admin = api().adminToken();
        String token = api().token(api().newUser(admin, "lonely", PASSWORD), PASSWORD);
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        properties.put("casswarm.storage.host", "127.0.0.3");
        try (EmbeddedServer nowhere = ApplicationContext.run(EmbeddedServer.class, properties)) {
            Api api = new Api(nowhere.getURI());
            Api.Response read = api.get("/api/v1/collections/c/documents", token);
            read.problem(503);
            assertEquals("1", read.header("Retry-After"));
            api.login("admin", TestStack.ADMIN_PASSWORD).problem(503);
        }
    }
}
