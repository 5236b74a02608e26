package io.casswarm.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A small raw HTTP client for gate's tests: every header and byte of the body under control. */
public final class Api {

    public static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;

    public Api(URI base) {
        this.base = base;
    }

    /** What gate answered. */
    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** Asserts a problem+json answer with this status, and returns its body. */
        public JsonNode problem(int expected) {
            assertEquals(expected, status, () -> "status of " + this);
            assertNotNull(contentType(), "content type");
            assertEquals("application/problem+json", contentType().split(";")[0].strip(), () -> "content type of " + this);
            JsonNode problem = json();
            assertEquals(expected, problem.path("status").asInt(), () -> "problem status of " + this);
            assertNotNull(problem.get("type"));
            assertNotNull(problem.get("title"));
            return problem;
        }

        @Override
        public String toString() {
            return status + " " + headers.map() + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
        }
    }

    public Response send(String method, String path, Map<String, String> headers, String body) {
        return sendBytes(method, path, headers, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Response sendBytes(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, auth(token), null);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, auth(token), null);
    }

    public Response postJson(String path, String token, String json) {
        Map<String, String> headers = auth(token);
        headers.put("Content-Type", "application/json");
        return send("POST", path, headers, json);
    }

    public Response putJson(String path, String token, String json, String... moreHeaders) {
        Map<String, String> headers = auth(token);
        headers.put("Content-Type", "application/json");
        for (int i = 0; i + 1 < moreHeaders.length; i += 2) {
            headers.put(moreHeaders[i], moreHeaders[i + 1]);
        }
        return send("PUT", path, headers, json);
    }

    public Response patch(String path, String token, String json, String... moreHeaders) {
        Map<String, String> headers = auth(token);
        headers.put("Content-Type", "application/merge-patch+json");
        for (int i = 0; i + 1 < moreHeaders.length; i += 2) {
            headers.put(moreHeaders[i], moreHeaders[i + 1]);
        }
        return send("PATCH", path, headers, json);
    }

    public Response login(String username, String password) {
        return postJson("/api/v1/session", null,
                "{\"username\":" + quote(username) + ",\"password\":" + quote(password) + "}");
    }

    /** Logs in and returns the X-Auth-Token. */
    public String token(String username, String password) {
        Response response = login(username, password);
        assertEquals(200, response.status(), () -> "login of " + username + ": " + response);
        return response.header("X-Auth-Token");
    }

    /** The administrator's token, once bootstrap has created it (it runs in the background). */
    public String adminToken() {
        return Awaitility.await("the administrator bootstrapped").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> login("admin", TestStack.ADMIN_PASSWORD), login -> login.status() == 200)
                .header("X-Auth-Token");
    }

    /** Creates a fresh user with the administrator's token and returns its name. */
    public String newUser(String adminToken, String prefix, String password) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Response created = postJson("/api/v1/users", adminToken,
                "{\"username\":\"" + name + "\",\"password\":" + quote(password) + "}");
        assertEquals(201, created.status(), () -> "create user: " + created);
        return name;
    }

    public static Map<String, String> auth(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("X-Auth-Token", token);
        }
        return headers;
    }

    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls the condition until it holds; fails after the timeout. */
    public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).until(condition::getAsBoolean);
    }

    /**
     * Lets time pass when time passing IS what a test checks (an idle session must not be
     * touched while it ages); everything else waits for a condition with {@link #await}.
     */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
