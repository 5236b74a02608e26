package io.casswarm.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * common's web layer on an embedded server in this JVM, as gate and storage both get it: the
 * request id, the problem+json mapping (thrown, completed exceptionally, and Micronaut's own
 * errors), the Content-Type rule and strict JSON binding. No container.
 */
@Tag("unit")
@MicronautTest
@Property(name = "spec.name", value = "WebLayerTest")
class WebLayerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRequestWithoutAnIdGetsOneInItsMdcAndItsAnswer() throws Exception {
        HttpResponse<String> answer = send("GET", "/web-test/mdc", null, null);
        String id = answer.headers().firstValue(RequestIds.HEADER).orElseThrow();
        assertTrue(RequestIds.usable(id), id);
        assertEquals(id, answer.body(), "the controller saw the same id in its MDC");
    }

    @Test
    void aUsableIdIsKeptAndAnUnusableOneReplaced() throws Exception {
        HttpResponse<String> kept = send("GET", "/web-test/mdc", null, null, RequestIds.HEADER, "edge-123.abc");
        assertEquals("edge-123.abc", kept.headers().firstValue(RequestIds.HEADER).orElseThrow());
        assertEquals("edge-123.abc", kept.body());
        HttpResponse<String> replaced = send("GET", "/web-test/mdc", null, null, RequestIds.HEADER, "x\"y z");
        String id = replaced.headers().firstValue(RequestIds.HEADER).orElseThrow();
        assertNotEquals("x\"y z", id);
        assertEquals(id, replaced.body());
    }

    @Test
    void aThrownProblemIsItsProblemJsonAnswer() throws Exception {
        HttpResponse<String> answer = send("GET", "/web-test/fail/validation", null, null);
        JsonNode problem = problem(answer, 400);
        assertEquals(ProblemType.VALIDATION.uri(), problem.path("type").asText());
        assertEquals("bad input", problem.path("detail").asText());
        assertEquals("/web-test/fail/validation", problem.path("instance").asText());
        assertTrue(answer.headers().firstValue("Retry-After").isEmpty());
    }

    @Test
    void aFutureFailedWithAProblemIsTheSameAnswer() throws Exception {
        JsonNode problem = problem(send("GET", "/web-test/async-fail", null, null), 412);
        assertEquals(3, problem.path("currentVersion").asInt(), "extension members are top-level members");
    }

    @Test
    void every503AndA429SayWhenToComeBack() throws Exception {
        HttpResponse<String> unavailable = send("GET", "/web-test/fail/unavailable", null, null);
        assertEquals(1, problem(unavailable, 503).path(Problem.RETRY_AFTER).asInt());
        assertEquals("1", unavailable.headers().firstValue("Retry-After").orElseThrow());
        HttpResponse<String> limited = send("GET", "/web-test/fail/limited", null, null);
        assertEquals(7, problem(limited, 429).path(Problem.RETRY_AFTER).asInt());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void micronautsOwnErrorsAreProblemsToo() throws Exception {
        problem(send("GET", "/web-test/none", null, null), 404);
        HttpResponse<String> wrongMethod = send("DELETE", "/web-test/mdc", null, null);
        problem(wrongMethod, 405);
        assertTrue(wrongMethod.headers().firstValue("Allow").orElse("").contains("GET"), wrongMethod.headers().toString());
        JsonNode malformed = problem(send("POST", "/web-test/echo", MediaType.APPLICATION_JSON, "{\"a\":"), 400);
        assertTrue(malformed.path("detail").asText().startsWith("body is not valid JSON"), malformed.toString());
        problem(send("POST", "/web-test/echo", "text/plain", "{}"), 415);
        JsonNode internal = problem(send("GET", "/web-test/fail/bug", null, null), 500);
        assertNull(internal.get("detail"), "a 500 says nothing of the internals");
    }

    @Test
    void aBodyWithoutAContentTypeOrWithNonsenseIs415() throws Exception {
        problem(send("POST", "/web-test/echo", null, "{}"), 415);
        problem(send("POST", "/web-test/echo", "nonsense", "{}"), 415);
    }

    @Test
    void bodiesAreReadStrictly() throws Exception {
        for (String body : new String[]{"{\"a\":1,\"a\":2}", "{\"a\":1}{\"b\":2}", "[1]", "\"x\""}) {
            problem(send("POST", "/web-test/echo", MediaType.APPLICATION_JSON, body), 400);
        }
        for (String body : new String[]{"{\"count\":\"1\"}", "{\"count\":1.5}", "{\"name\":5}", "{\"flag\":\"true\"}",
                "{\"flag\":1}", "{\"flag\":[true]}", "{\"count\":[1]}", "{\"unknown\":1}"}) {
            problem(send("POST", "/web-test/typed", MediaType.APPLICATION_JSON, body), 400);
        }
        HttpResponse<String> typed = send("POST", "/web-test/typed", MediaType.APPLICATION_JSON,
                "{\"count\":2,\"name\":\"n\",\"flag\":true}");
        assertEquals(200, typed.statusCode(), typed.body());
    }

    @Test
    void numbersAreKeptExactly() throws Exception {
        String body = "{\"price\":1.50,\"big\":1E+400,\"precise\":0.1000000000000000055511151231257827,\"n\":12345678901234567890123}";
        HttpResponse<String> echoed = send("POST", "/web-test/echo", MediaType.APPLICATION_JSON, body);
        assertEquals(200, echoed.statusCode(), echoed.body());
        assertEquals(body, echoed.body());
    }

    private JsonNode problem(HttpResponse<String> answer, int status) throws IOException {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(Problem.MEDIA_TYPE, answer.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(status, problem.path("status").asInt(), answer.body());
        assertTrue(problem.hasNonNull("type") && problem.hasNonNull("title"), answer.body());
        return problem;
    }

    private HttpResponse<String> send(String method, String path, @Nullable String contentType, @Nullable String body,
                                      String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                // Generous: the first request of a fresh server on a loaded 2-core machine took over 10 s.
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A typed body, as the wire types are. */
    @Introspected
    record Typed(int count, @Nullable String name, boolean flag) {
    }

    @Requires(property = "spec.name", value = "WebLayerTest")
    @Controller("/web-test")
    static final class WebTestController {

        @Get(value = "/mdc", produces = MediaType.TEXT_PLAIN)
        String mdc() {
            return MDC.get(RequestIds.MDC_KEY);
        }

        @Get("/fail/{kind}")
        String fail(@PathVariable String kind) {
            throw switch (kind) {
                case "validation" -> new ProblemException(ProblemType.VALIDATION, "bad input");
                case "unavailable" -> new ProblemException(ProblemType.UNAVAILABLE, "down");
                case "limited" -> new ProblemException(Problem.of(ProblemType.TOO_MANY_REQUESTS, "slow down").retryAfter(7));
                default -> new IllegalStateException("a bug with secrets in its message");
            };
        }

        @Get("/async-fail")
        CompletionStage<String> asyncFail() {
            return CompletableFuture.supplyAsync(() -> {
                throw new ProblemException(Problem.of(ProblemType.PRECONDITION_FAILED, "stale").with("currentVersion", 3));
            });
        }

        @Post("/echo")
        @Consumes(MediaType.APPLICATION_JSON)
        ObjectNode echo(@Body ObjectNode body) {
            return body;
        }

        @Post("/typed")
        @Consumes(MediaType.APPLICATION_JSON)
        Map<String, Object> typed(@Body Typed typed) {
            return Map.of("count", typed.count());
        }
    }
}
