package io.casswarm.gate;

import io.casswarm.common.testing.FaultProxy;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gate's side of the unknown-outcome defects of issue 9. gate reaches the two storage
 * processes through {@link FaultProxy}s (127.0.0.3 → 127.0.0.1, 127.0.0.4 → 127.0.0.2) and a
 * third address where nothing listens (127.0.0.9: connection refused). A response lost after
 * storage did the write makes gate try the next instance with the same idempotency key.
 */
@MicronautTest
class UnknownOutcomeTest extends GateTestBase {

    private static final String PASSWORD = "unknown outcome password";

    private final FaultProxy first = proxy("127.0.0.3", "127.0.0.1");
    private final FaultProxy second = proxy("127.0.0.4", "127.0.0.2");

    private static FaultProxy proxy(String bind, String target) {
        int port = TestStack.get().storagePort();
        try {
            return FaultProxy.tcp(bind, port, target, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("casswarm.storage.host", "127.0.0.3,127.0.0.4,127.0.0.9");
    }

    @AfterAll
    void closeProxies() {
        first.close();
        second.close();
    }

    /** The next response from either storage is lost (once): the other proxy is disarmed before gate retries. */
    private CompletableFuture<Void> loseOneResponse() {
        CompletableFuture<Void> a = first.dropNextResponse();
        CompletableFuture<Void> b = second.dropNextResponse();
        a.thenRun(second::disarm);
        b.thenRun(first::disarm);
        return CompletableFuture.anyOf(a, b).thenApply(done -> null);
    }

    @Test
    void aConditionalReplaceThatLandedAndLostItsAnswerIsNot412ToItsOwnWriter() {
        String token = api().token(api().newUser(api().adminToken(), "outcome1", PASSWORD), PASSWORD);
        String path = "/api/v1/collections/outcomes/documents/c1";
        assertEquals(201, api().putJson(path, token, "{\"v\":0}", "If-None-Match", "*").status());
        CompletableFuture<Void> lost = loseOneResponse();
        Api.Response replaced = api().putJson(path, token, "{\"v\":1}", "If-Match", "\"1\"");
        assertTrue(lost.isDone(), "a response was lost");
        assertEquals(200, replaced.status(), "the writer's own write, answered from its key: " + replaced);
        assertEquals(2, replaced.json().path("version").asLong());
        assertEquals(2, api().get(path, token).json().path("version").asLong(), "applied once");
    }

    @Test
    void aMergePatchThatLostItsAnswerIsRetriedAndAppliedOnce() {
        String token = api().token(api().newUser(api().adminToken(), "outcome2", PASSWORD), PASSWORD);
        String path = "/api/v1/collections/outcomes/documents/p1";
        assertEquals(201, api().putJson(path, token, "{\"n\":0}", "If-None-Match", "*").status());
        CompletableFuture<Void> lost = loseOneResponse();
        Api.Response patched = api().patch(path, token, "{\"a\":1}");
        assertTrue(lost.isDone());
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(2, api().get(path, token).json().path("version").asLong(), "one version, not two");
    }

    @Test
    void deletingAMissingDocumentIs404EvenWhenTheFirstInstanceRefusedTheConnection() {
        String token = api().token(api().newUser(api().adminToken(), "outcome3", PASSWORD), PASSWORD);
        // Round robin over three instances: one of three deletes starts at the refusing one.
        for (int i = 0; i < 3; i++) {
            Map<String, String> headers = Api.auth(token);
            Api.Response deleted = api().send("DELETE", "/api/v1/collections/outcomes/documents/missing" + i,
                    headers, null);
            assertEquals(404, deleted.status(), "attempt " + i + ": " + deleted);
        }
    }

    @Test
    void aCreateSentTwiceWithOneKeyIsOneDocument() {
        String token = api().token(api().newUser(api().adminToken(), "outcome4", PASSWORD), PASSWORD);
        Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", "\"client-key-1\"");
        Api.Response one = api().send("POST", "/api/v1/collections/twice/documents", headers, "{\"x\":1}");
        Api.Response two = api().send("POST", "/api/v1/collections/twice/documents", headers, "{\"x\":1}");
        assertEquals(201, one.status(), one::toString);
        assertEquals(201, two.status(), two::toString);
        assertEquals(one.json().path("id"), two.json().path("id"));
        assertEquals(1, api().get("/api/v1/collections/twice/documents", token).json().path("items").size());
        Api.Response other = api().send("POST", "/api/v1/collections/twice/documents", headers, "{\"x\":2}");
        assertEquals(422, other.status(), other::toString);
    }
}
