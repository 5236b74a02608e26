package io.casswarm.gate;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.casswarm.gate.storage.StorageClient;
import io.casswarm.gate.storage.StorageResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics and who may read them, the OpenAPI document and its UI, request ids. */
@MicronautTest
class OperationsTest extends GateTestBase {

    private static final String METRICS_PASSWORD = "metrics password for this test";

    /** The management credential, as Prometheus's basic_auth sends it. */
    private static final Map<String, String> PROMETHEUS = Map.of("Authorization", "Basic "
            + Base64.getEncoder().encodeToString(("prometheus:" + METRICS_PASSWORD).getBytes(StandardCharsets.UTF_8)));

    @Override
    protected Map<String, String> extraProperties() {
        try {
            Path file = Files.createTempFile("metrics_password", "");
            Files.writeString(file, METRICS_PASSWORD + "\n");
            file.toFile().deleteOnExit();
            return Map.of("casswarm.management.password-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void healthShowsStorageAndRedis() {
        Api.Response health = management().send("GET", "/health", PROMETHEUS, null);
        assertEquals(200, health.status(), health::toString);
        assertEquals("UP", health.json().path("status").asText());
        assertEquals("UP", health.json().path("details").path("storage").path("status").asText());
        assertEquals("UP", health.json().path("details").path("redis").path("status").asText());
        assertEquals(200, management().send("GET", "/health/liveness", Map.of(), null).status());
    }

    @Test
    void theApiPortServesNoManagementEndpoints() {
        for (String path : new String[]{"/health", "/health/liveness", "/health/readiness", "/prometheus"}) {
            Api.Response response = api().send("GET", path, Map.of(), null);
            response.problem(404);
        }
        assertEquals(200, management().send("GET", "/prometheus", PROMETHEUS, null).status());
    }

    @Test
    void healthDetailsAndMetricsAnswerOnlyTheManagementCredential() {
        String guessed = "Basic " + Base64.getEncoder().encodeToString("prometheus:guessed".getBytes(StandardCharsets.UTF_8));
        for (String path : new String[]{"/health", "/health/storage", "/prometheus"}) {
            Api.Response none = management().send("GET", path, Map.of(), null);
            none.problem(401);
            assertTrue(none.header("WWW-Authenticate").startsWith("Basic"), none::toString);
            assertFalse(none.body().contains("\"details\""), "nothing of the health details: " + none);
            management().send("GET", path, Map.of("Authorization", guessed), null).problem(401);
        }
        // Swarm's health check and edge's server check carry no secret: they stay open.
        assertEquals(200, management().send("GET", "/health/liveness", Map.of(), null).status());
        assertEquals(200, management().send("GET", "/health/readiness", Map.of(), null).status());
    }

    @Test
    void prometheusMetricsCoverRequestsStorageCallsAndSessions() {
        String token = api().adminToken();
        api().get("/api/v1/session", token);
        api().get("/api/v1/users", token);
        String metrics = management().send("GET", "/prometheus", PROMETHEUS, null).body();
        assertTrue(metrics.contains("http_server_requests_seconds"), "requests");
        assertTrue(metrics.contains("casswarm_storage_calls_seconds"), "storage calls");
        assertTrue(metrics.contains("casswarm_sessions_logins_total"), "sessions");
        assertTrue(metrics.contains("casswarm_sessions_active"), "active sessions");
        assertTrue(metrics.contains("casswarm_ratelimit_rejected_total"), "rate limit");
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        Api.Response spec = api().send("GET", "/swagger/casswarm.yml", Map.of(), null);
        assertEquals(200, spec.status());
        assertTrue(spec.body().contains("/api/v1/collections/{collection}/documents/{id}"));
        assertTrue(spec.body().contains("/api/v1/session"));
        assertTrue(spec.body().contains("/api/v1/users"));
        Api.Response ui = api().send("GET", "/swagger-ui/index.html", Map.of(), null);
        assertEquals(200, ui.status());
        assertTrue(ui.body().toLowerCase().contains("swagger"));
    }

    @Test
    void theRequestIdIsEchoedOrMade() {
        Api.Response given = api().send("GET", "/api/v1/session", Map.of("X-Request-Id", "req-123"), null);
        assertEquals("req-123", given.header("X-Request-Id"));
        Api.Response made = api().send("GET", "/api/v1/session", Map.of(), null);
        assertNotNull(made.header("X-Request-Id"));
        Api.Response hostile = api().send("GET", "/api/v1/session", Map.of("X-Request-Id", "a b<script>"), null);
        assertTrue(hostile.header("X-Request-Id").matches("[0-9a-f-]{36}"), "replaced");
    }

    @Inject
    StorageClient storage;

    @Test
    void theRequestIdIsForwardedToStorage() {
        api().adminToken(); // the user read below exists
        MDC.put("trace.id", "forwarded-42");
        try {
            StorageResponse response = storage.send("GET", "/internal/v1/users/admin", Map.of(), null, true);
            assertEquals(200, response.status());
            assertEquals("forwarded-42", response.headers().get("X-Request-Id"),
                    "storage echoes what it got");
        } finally {
            MDC.remove("trace.id");
        }
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        api().send("GET", "/nowhere", Map.of(), null).problem(404);
        api().send("GET", "/api/v1/nowhere", Api.auth(api().adminToken()), null).problem(404);
    }
}
