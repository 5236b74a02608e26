package io.casswarm.gate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-user request limit, counted in Redis, is shared by every gate. */
@MicronautTest
class RateLimitTest extends GateTestBase {

    private static final String PASSWORD = "rate limit password";

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("casswarm.rate-limit.requests", "6", "casswarm.rate-limit.window", "600s");
    }

    @Test
    void pastTheLimitEveryGateAnswers429WithRetryAfter() {
        String admin = api().adminToken();
        String user = api().newUser(admin, "busy", PASSWORD);
        String token = api().token(user, PASSWORD);
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        properties.put("casswarm.rate-limit.requests", 6);
        properties.put("casswarm.rate-limit.window", "600s");
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, properties)) {
            Api second = new Api(other.getURI());
            int ok = 0;
            Api.Response limited = null;
            for (int i = 0; i < 10 && limited == null; i++) {
                Api.Response response = (i % 2 == 0 ? api() : second).get("/api/v1/collections/c/documents", token);
                if (response.status() == 429) {
                    limited = response;
                } else {
                    assertEquals(200, response.status(), response::toString);
                    ok++;
                }
            }
            assertEquals(6, ok, "requests allowed over both gates together");
            limited.problem(429);
            long retryAfter = Long.parseLong(limited.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 600, "Retry-After " + retryAfter);
            second.get("/api/v1/session", token).problem(429);
        }
    }
}
