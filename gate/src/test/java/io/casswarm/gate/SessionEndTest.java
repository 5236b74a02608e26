package io.casswarm.gate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions end when they must, on every gate at once: the user disabled (and enabled again),
 * its password changed by the administrator or by itself, its absolute lifetime over. And what
 * every answer carries: the cookie's attributes, no-store, nosniff.
 */
@MicronautTest
class SessionEndTest extends GateTestBase {

    private static final String PASSWORD = "session end password";

    private String adminToken;

    @BeforeAll
    void admin() {
        adminToken = api().adminToken();
    }

    @Test
    void disableThenEnableLeavesTheOldSessionsDeadOnEveryGate() {
        String user = api().newUser(adminToken, "revived", PASSWORD);
        try (EmbeddedServer other = otherGate(Map.of())) {
            Api second = new Api(other.getURI());
            String here = api().token(user, PASSWORD);
            String there = second.token(user, PASSWORD);
            assertEquals(200, second.get("/api/v1/session", there).status());

            assertEquals(200, api().patch("/api/v1/users/" + user, adminToken, "{\"enabled\":false}").status());
            second.get("/api/v1/session", there).problem(401);
            api().get("/api/v1/collections/c/documents", here).problem(401);
            assertEquals(200, api().patch("/api/v1/users/" + user, adminToken, "{\"enabled\":true}").status());

            second.get("/api/v1/session", there).problem(401);
            api().get("/api/v1/session", here).problem(401);
            assertEquals(200, second.get("/api/v1/session", second.token(user, PASSWORD)).status(), "a new login works");
        }
    }

    @Test
    void thePasswordSetByTheAdministratorEndsTheSessionsOnEveryGate() {
        String user = api().newUser(adminToken, "reset", PASSWORD);
        try (EmbeddedServer other = otherGate(Map.of())) {
            Api second = new Api(other.getURI());
            String there = second.token(user, PASSWORD);
            String here = api().token(user, PASSWORD);
            Api.Response changed = api().patch("/api/v1/users/" + user, adminToken,
                    "{\"password\":\"the administrator's choice\"}");
            assertEquals(200, changed.status(), changed::toString);
            second.get("/api/v1/session", there).problem(401);
            api().get("/api/v1/session", here).problem(401);
            api().login(user, PASSWORD).problem(401);
            assertEquals(200, api().login(user, "the administrator's choice").status());
        }
        api().patch("/api/v1/users/" + user, adminToken, "{\"password\":\"short\"}").problem(400);
        api().patch("/api/v1/users/" + user, adminToken, "{}").problem(400);
    }

    @Test
    void aUserChangesItsOwnPasswordAndEveryOneOfItsSessionsEnds() {
        String user = api().newUser(adminToken, "own", PASSWORD);
        try (EmbeddedServer other = otherGate(Map.of())) {
            Api second = new Api(other.getURI());
            String there = second.token(user, PASSWORD);
            String here = api().token(user, PASSWORD);
            String untouched = second.token(user, PASSWORD);

            changeOwnPassword(here, "not my password", "my new password").problem(403);
            changeOwnPassword(here, PASSWORD, "short").problem(400);
            api().send("PUT", "/api/v1/session/password", withJson(here), "{\"newPassword\":\"my new password\"}")
                    .problem(400);
            assertEquals(200, second.get("/api/v1/session", there).status(), "nothing changed yet");
            changeOwnPassword(null, PASSWORD, "my new password").problem(401);

            Api.Response changed = changeOwnPassword(here, PASSWORD, "my new password");
            assertEquals(204, changed.status(), changed::toString);
            api().get("/api/v1/session", here).problem(401);
            second.get("/api/v1/session", there).problem(401);
            api().login(user, PASSWORD).problem(401);
            assertEquals(200, second.login(user, "my new password").status());
            Api.Response withEndedSession = second.send("POST", "/api/v1/session", withJson(untouched),
                    "{\"username\":" + Api.quote(user) + ",\"password\":\"my new password\"}");
            assertEquals(200, withEndedSession.status(), "a login sent with an ended session: " + withEndedSession);
        }
    }

    @Test
    void aBusySessionEndsAtItsAbsoluteLifetime() {
        String user = api().newUser(adminToken, "busy", PASSWORD);
        try (EmbeddedServer other = otherGate(Map.of("casswarm.session.absolute", "3s"))) {
            Api shortLived = new Api(other.getURI());
            Api.Response login = shortLived.login(user, PASSWORD);
            assertEquals(3, login.json().path("absoluteLifetimeSeconds").asLong());
            String token = login.header("X-Auth-Token");
            long start = System.nanoTime();
            // every poll is a request, so the idle expiry (30 min) never comes into it
            Api.await("the session to end", Duration.ofSeconds(60),
                    () -> shortLived.get("/api/v1/session", token).status() == 401);
            long lived = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(lived >= 2500, "ended after " + lived + " ms, not before its 3 s");
            shortLived.get("/api/v1/session", token).problem(401);
        }
    }

    @Test
    void theCookieIsHostOnlySecureAndHttpOnly() {
        String user = api().newUser(adminToken, "cookie", PASSWORD);
        Api.Response login = api().login(user, PASSWORD);
        assertEquals(200, login.status());
        List<String> cookies = login.headers().allValues("Set-Cookie");
        String cookie = cookies.stream().filter(value -> value.startsWith("__Host-SESSION=")).findFirst()
                .orElseThrow(() -> new AssertionError("no __Host-SESSION cookie in " + cookies));
        String lower = cookie.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("; secure"), cookie);
        assertTrue(lower.contains("; httponly"), cookie);
        assertTrue(lower.contains("; path=/"), cookie);
        assertTrue(lower.contains("samesite=lax") || lower.contains("samesite=strict"), cookie);
        assertFalse(lower.contains("domain="), cookie);
        Api.Response byCookie = api().send("GET", "/api/v1/session", Map.of("Cookie", cookie.split(";")[0]), null);
        assertEquals(200, byCookie.status(), byCookie::toString);
    }

    @Test
    void everyAnswerSaysNoStoreAndNoSniff() {
        String token = api().token(api().newUser(adminToken, "hdr", PASSWORD), PASSWORD);
        for (Api.Response response : List.of(
                api().get("/api/v1/session", token),
                api().get("/api/v1/collections/c/documents", token),
                api().get("/api/v1/session", null),
                api().get("/api/v1/users", token),
                api().send("GET", "/nowhere", Map.of(), null),
                api().send("POST", "/api/v1/session", Map.of("Content-Type", "application/json"), "{"))) {
            assertEquals("no-store", response.header("Cache-Control"), response::toString);
            assertEquals("nosniff", response.header("X-Content-Type-Options"), response::toString);
        }
    }

    private Api.Response changeOwnPassword(String token, String current, String next) {
        return api().send("PUT", "/api/v1/session/password", withJson(token),
                "{\"currentPassword\":" + Api.quote(current) + ",\"newPassword\":" + Api.quote(next) + "}");
    }

    private static Map<String, String> withJson(String token) {
        Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static EmbeddedServer otherGate(Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        properties.putAll(more);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }
}
