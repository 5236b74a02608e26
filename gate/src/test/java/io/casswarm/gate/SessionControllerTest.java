package io.casswarm.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class SessionControllerTest extends GateTestBase {

    private static final String PASSWORD = "correct horse battery";

    private String adminToken;

    @BeforeAll
    void admin() {
        adminToken = api().adminToken();
    }

    @Test
    void loginGivesAHeaderTokenAndACookieThatBothWork() {
        String user = api().newUser(adminToken, "sess", PASSWORD);
        Api.Response login = api().login(user, PASSWORD);
        assertEquals(200, login.status(), login::toString);
        String token = login.header("X-Auth-Token");
        assertNotNull(token);
        assertEquals(user, login.json().path("username").asText());
        assertEquals("USER", login.json().path("role").asText());
        assertEquals(1800, login.json().path("idleTimeoutSeconds").asLong());
        String cookie = login.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("__Host-SESSION=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HTTPOnly") || cookie.toLowerCase().contains("httponly"), cookie);

        Api.Response byHeader = api().get("/api/v1/session", token);
        assertEquals(200, byHeader.status(), byHeader::toString);
        assertEquals(user, byHeader.json().path("username").asText());

        Api.Response byCookie = api().send("GET", "/api/v1/session",
                Map.of("Cookie", cookie.split(";")[0]), null);
        assertEquals(200, byCookie.status(), byCookie::toString);
        assertEquals(user, byCookie.json().path("username").asText());
    }

    @Test
    void everyLoginGetsANewSessionIdAndEndsTheOneItCameWith() {
        String user = api().newUser(adminToken, "rot", PASSWORD);
        String first = api().token(user, PASSWORD);
        Map<String, String> headers = Api.auth(first);
        headers.put("Content-Type", "application/json");
        Api.Response again = api().send("POST", "/api/v1/session", headers,
                "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, again.status(), again::toString);
        String second = again.header("X-Auth-Token");
        assertNotEquals(first, second);
        api().get("/api/v1/session", first).problem(401);
        assertEquals(200, api().get("/api/v1/session", second).status());
    }

    @Test
    void logoutEndsTheSession() {
        String user = api().newUser(adminToken, "out", PASSWORD);
        String token = api().token(user, PASSWORD);
        // Accept as the client generated from the OpenAPI document (infra/client) sends it: no body on success.
        Map<String, String> headers = Api.auth(token);
        headers.put("Accept", "application/problem+json");
        Api.Response logout = api().send("DELETE", "/api/v1/session", headers, null);
        assertEquals(204, logout.status(), logout::toString);
        api().get("/api/v1/session", token).problem(401);
        api().delete("/api/v1/session", token).problem(401);
    }

    @Test
    void wrongPasswordsAndUnknownUsersAre401() {
        String user = api().newUser(adminToken, "bad", PASSWORD);
        JsonNode problem = api().login(user, "not the password").problem(401);
        assertEquals("/problems/unauthorized", problem.path("type").asText());
        api().login("nobody" + System.nanoTime(), PASSWORD).problem(401);
        api().get("/api/v1/session", null).problem(401);
        api().get("/api/v1/session", "no-such-session").problem(401);
    }

    @Test
    void failedLoginsAreRateLimited() {
        String user = api().newUser(adminToken, "brute", PASSWORD);
        for (int i = 0; i < 5; i++) {
            api().login(user, "guess " + i).problem(401);
        }
        Api.Response blocked = api().login(user, PASSWORD);
        blocked.problem(429);
        long retryAfter = Long.parseLong(blocked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
    }

    @Test
    void aSessionWorksOnAnotherGateAndLogoutThereEndsItHere() {
        String user = api().newUser(adminToken, "multi", PASSWORD);
        String token = api().token(user, PASSWORD);
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, otherGateProperties(Map.of()))) {
            Api second = new Api(other.getURI());
            Api.Response there = second.get("/api/v1/session", token);
            assertEquals(200, there.status(), there::toString);
            assertEquals(user, there.json().path("username").asText());
            assertEquals(204, second.delete("/api/v1/session", token).status());
        }
        api().get("/api/v1/session", token).problem(401);
    }

    @Test
    void anIdleSessionExpires() {
        String user = api().newUser(adminToken, "idle", PASSWORD);
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class,
                otherGateProperties(Map.of("micronaut.session.max-inactive-interval", "2s",
                        "casswarm.admin.bootstrap", "false")))) {
            Api shortLived = new Api(other.getURI());
            String token = shortLived.token(user, PASSWORD);
            assertEquals(2, shortLived.get("/api/v1/session", token).json().path("idleTimeoutSeconds").asLong());
            // Idle time is the thing tested: the session must not be touched while it ages, so
            // time passes here instead of polling (a request would reset the idle clock).
            Api.sleep(1000);
            assertEquals(200, shortLived.get("/api/v1/session", token).status(), "still active after 1 s");
            Api.sleep(3000);
            shortLived.get("/api/v1/session", token).problem(401);
        }
    }

    @Test
    void aSessionInUseOutlivesItsIdleTimeout() {
        String user = api().newUser(adminToken, "busy", PASSWORD);
        try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class,
                otherGateProperties(Map.of("micronaut.session.max-inactive-interval", "3s",
                        "casswarm.admin.bootstrap", "false")))) {
            Api shortLived = new Api(other.getURI());
            String token = shortLived.token(user, PASSWORD);
            // Requests 0.5 s apart for twice the idle timeout: the last access is not written on
            // every one of them (auth.CoarseAccessSessionStore), but often enough to keep it alive.
            for (int i = 0; i < 12; i++) {
                Api.sleep(500);
                assertEquals(200, shortLived.get("/api/v1/session", token).status(), "in use after " + (i + 1) * 500 + " ms");
            }
            Api.sleep(3500);
            shortLived.get("/api/v1/session", token).problem(401);
        }
    }

    @Test
    void loginBodyIsValidated() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        api().send("POST", "/api/v1/session", json, "{\"username\":\"x\"}").problem(400);
        api().send("POST", "/api/v1/session", json, "{").problem(400);
        api().send("POST", "/api/v1/session", json, "[]").problem(400);
        api().send("POST", "/api/v1/session", Map.of("Content-Type", "text/plain"), "x").problem(415);
        assertFalse(api().send("POST", "/api/v1/session", json, "{\"username\":1,\"password\":2}").status() >= 500);
    }

    private Map<String, Object> otherGateProperties(Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        properties.putAll(more);
        return properties;
    }
}
