package io.casswarm.storage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.casswarm.common.http.StorageCredential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny JSON client for storage's HTTP API in tests (java.net.http, so it is safe to share between
 * threads). Like gate, it presents the storage credential (the development token the test
 * storage accepts) unless a request says otherwise ({@link Request#credential}).
 */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    public Api(URI base) {
        this.base = base;
    }

    /** A reply: status, headers and the body parsed as JSON (NullNode when empty). */
    public record Reply(int status, HttpResponse<String> raw, JsonNode json) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    /** The management port (health, prometheus) of a storage started in the test, beside its API port. */
    public static URI managementUri(io.micronaut.runtime.server.EmbeddedServer server) {
        int port = ((io.micronaut.http.server.netty.NettyEmbeddedServer) server).getBoundPorts().stream()
                .filter(p -> p != server.getPort()).findFirst()
                .orElseThrow(() -> new AssertionError("storage serves no management port"));
        return URI.create("http://127.0.0.1:" + port);
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Reply get(String path) {
        return request("GET", path).send();
    }

    public Reply post(String path, Object body) {
        return request("POST", path).json(body).send();
    }

    public Reply put(String path, Object body) {
        return request("PUT", path).json(body).send();
    }

    public Reply delete(String path) {
        return request("DELETE", path).send();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode lenient(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
    }

    public static String text(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request being built. */
    public final class Request {
        private final HttpRequest.Builder builder;
        private final String method;
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private String credential = StorageCredential.SCHEME + " " + StorageCredential.DEVELOPMENT_TOKEN;

        private Request(String method, String path) {
            this.method = method;
            this.builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        }

        public Request header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        /** The Authorization header to send instead of the valid one; null: none at all. */
        public Request credential(String headerValue) {
            credential = headerValue;
            return this;
        }

        public Request json(Object value) {
            return body("application/json", text(value));
        }

        public Request body(String contentType, String text) {
            builder.header("Content-Type", contentType);
            body = HttpRequest.BodyPublishers.ofString(text);
            return this;
        }

        public Reply send() {
            return sendAsync().join();
        }

        /** Only the status, the body unread as JSON (for load, where parsing would cost the client). */
        public CompletableFuture<Integer> sendForStatus() {
            return client.sendAsync(build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode);
        }

        public CompletableFuture<Reply> sendAsync() {
            return client.sendAsync(build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Reply(response.statusCode(), response,
                            response.body() == null || response.body().isEmpty()
                                    ? NullNode.getInstance() : lenient(response.body())));
        }

        private HttpRequest build() {
            if (credential != null) {
                builder.setHeader(StorageCredential.HEADER, credential);
            }
            return builder.method(method, body).build();
        }
    }
}
