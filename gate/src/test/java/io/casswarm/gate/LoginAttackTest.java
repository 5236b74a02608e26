package io.casswarm.gate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login throttling from the attacker's side: parallel guesses are counted before any password
 * is checked (a 401 is a checked guess, a 429 one refused unchecked), waits double, another
 * address is not locked out, and spraying one password over many user names is limited per
 * address. Client addresses are X-Forwarded-For, as edge sets it.
 */
@MicronautTest
class LoginAttackTest extends GateTestBase {

    private static final String PASSWORD = "the real password";

    private String adminToken;

    @BeforeAll
    void admin() {
        adminToken = api().adminToken();
    }

    @Test
    void parallelGuessesAreCheckedAtMostFiveTimesAndTheRealUserStillLogsInFromElsewhere() throws Exception {
        String user = api().newUser(adminToken, "victim", PASSWORD);
        int guesses = 150;
        Map<Integer, Integer> statuses = new HashMap<>();
        List<Api.Response> refused = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                int guess = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return loginFrom("198.51.100.7", user, "guess " + guess);
                }));
            }
            start.countDown();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get();
                statuses.merge(response.status(), 1, Integer::sum);
                if (response.status() == 429) {
                    refused.add(response);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int checked = statuses.getOrDefault(401, 0);
        assertTrue(checked >= 1 && checked <= 5, "guesses checked (401): " + statuses);
        assertEquals(guesses, checked + refused.size(), "every other guess refused unchecked (429): " + statuses);
        for (Api.Response response : refused) {
            response.problem(429);
            long retryAfter = Long.parseLong(response.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        }

        loginFrom("198.51.100.7", user, PASSWORD).problem(429);
        Api.Response real = loginFrom("203.0.113.9", user, PASSWORD);
        assertEquals(200, real.status(), "the real user from another address, at once: " + real);
    }

    @Test
    void eachFurtherFailureDoublesTheWait() {
        String user = api().newUser(adminToken, "slow", PASSWORD);
        try (EmbeddedServer other = otherGate(Map.of("casswarm.login.first-delay", "1s"))) {
            Api gate = new Api(other.getURI());
            for (int i = 0; i < 5; i++) {
                assertEquals(401, loginFrom(gate, "198.51.100.8", user, "guess " + i).status());
            }
            Api.Response first = loginFrom(gate, "198.51.100.8", user, "guess 5");
            first.problem(429);
            assertEquals("1", first.header("Retry-After"));
            // a refused attempt counts nothing, so asking until one is checked is fair
            Api.await("the first wait to pass", Duration.ofSeconds(30),
                    () -> loginFrom(gate, "198.51.100.8", user, "guess 6").status() == 401);
            Api.Response second = loginFrom(gate, "198.51.100.8", user, "guess 7");
            second.problem(429);
            assertEquals("2", second.header("Retry-After"), "the wait doubled");
            Api.await("the second wait to pass", Duration.ofSeconds(30),
                    () -> loginFrom(gate, "198.51.100.8", user, "guess 8").status() == 401);
            assertEquals("4", loginFrom(gate, "198.51.100.8", user, "guess 9").header("Retry-After"));
        }
    }

    @Test
    void sprayingOnePasswordOverManyNamesIsLimitedPerAddress() {
        try (EmbeddedServer other = otherGate(Map.of("casswarm.login.per-address", "20"))) {
            Api gate = new Api(other.getURI());
            for (int i = 0; i < 20; i++) {
                assertEquals(401, loginFrom(gate, "198.51.100.9", "spray" + i + "x" + System.nanoTime(),
                        "Summer2026!").status());
            }
            Api.Response refused = loginFrom(gate, "198.51.100.9", "spray-last" + System.nanoTime(), "Summer2026!");
            refused.problem(429);
            assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
            String user = api().newUser(adminToken, "bystander", PASSWORD);
            assertEquals(200, loginFrom(gate, "203.0.113.10", user, PASSWORD).status(), "another address");
        }
    }

    @Test
    void theCurrentPasswordOfAPasswordChangeIsCountedLikeALogin() {
        String user = api().newUser(adminToken, "stolen", PASSWORD);
        String token = api().token(user, PASSWORD);
        int forbidden = 0;
        Api.Response last = null;
        for (int i = 0; i < 8; i++) {
            last = changeOwnPassword(token, "198.51.100.11", "guess " + i, "a brand new password");
            if (last.status() == 403) {
                forbidden++;
            }
        }
        assertEquals(5, forbidden, "guesses of the current password checked");
        last.problem(429);
    }

    @Test
    void anAttemptThatCouldNotBeCheckedIsA503AndCountsNothing() {
        String user = api().newUser(adminToken, "outage", PASSWORD);
        // a gate whose storage answers nothing: no password can be checked
        try (EmbeddedServer other = otherGate(Map.of("casswarm.storage.port", TestStack.freePort()))) {
            Api gate = new Api(other.getURI());
            for (int i = 0; i < 8; i++) {
                Api.Response response = loginFrom(gate, "198.51.100.12", user, PASSWORD);
                response.problem(503);
                assertTrue(response.header("Retry-After") != null, response::toString);
            }
        }
        assertEquals(200, loginFrom("198.51.100.12", user, PASSWORD).status(), "none of the 8 was counted");
    }

    private Api.Response changeOwnPassword(String token, String address, String current, String next) {
        Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", "application/json");
        headers.put("X-Forwarded-For", address);
        return api().send("PUT", "/api/v1/session/password", headers,
                "{\"currentPassword\":" + Api.quote(current) + ",\"newPassword\":" + Api.quote(next) + "}");
    }

    private Api.Response loginFrom(String address, String user, String password) {
        return loginFrom(api(), address, user, password);
    }

    private static Api.Response loginFrom(Api gate, String address, String user, String password) {
        return gate.send("POST", "/api/v1/session",
                Map.of("Content-Type", "application/json", "X-Forwarded-For", address),
                "{\"username\":" + Api.quote(user) + ",\"password\":" + Api.quote(password) + "}");
    }

    private static EmbeddedServer otherGate(Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        properties.putAll(more);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }
}
