package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the public API through edge, as API clients use it: it knows every edge address
 * (what DNS round robin over the edge nodes gives it) and keeps using one until it fails to
 * answer (refused, unreachable, timed out), then moves on to the next, repeating an
 * idempotent request there. A POST is repeated only with an Idempotency-Key: without one it may
 * have been applied, and sending it again would apply it twice. It speaks HTTPS trusting the
 * cluster CA only (see {@link ClusterCa}).
 */
final class Edge {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final SSLContext tls;
    private final HttpClient http;
    private final List<URI> bases;
    private final Duration timeout;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger switches = new AtomicInteger();

    Edge(List<URI> bases, SSLContext tls) {
        this(bases, Duration.ofSeconds(30), tls);
    }

    /** {@code timeout}: how long one attempt may take before the client gives that edge up. */
    Edge(List<URI> bases, Duration timeout, SSLContext tls) {
        this(bases, timeout, tls, HttpClient.Version.HTTP_2);
    }

    private Edge(List<URI> bases, Duration timeout, SSLContext tls, HttpClient.Version version) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no edge address");
        }
        this.bases = List.copyOf(bases);
        this.timeout = timeout;
        this.tls = tls;
        this.http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(2)).sslContext(tls).build();
    }

    /**
     * A client of a plain-HTTP proxy in front of edge, over HTTP/1.1: on plain HTTP the JDK
     * client would offer an HTTP/2 upgrade, whose headers a proxy forwards upstream.
     */
    Edge throughProxy(URI proxy) {
        return new Edge(List.of(proxy), timeout, tls, HttpClient.Version.HTTP_1_1);
    }

    /** A client of this edge only (no other address to move to). */
    Edge only(URI base) {
        return new Edge(List.of(base), timeout, tls);
    }

    Edge withTimeout(Duration attemptTimeout) {
        return new Edge(bases, attemptTimeout, tls);
    }

    /** A client of other edge addresses, trusting the same CA. */
    Edge of(List<URI> otherBases, Duration attemptTimeout) {
        return new Edge(otherBases, attemptTimeout, tls);
    }

    List<URI> bases() {
        return bases;
    }

    /** How often this client moved to another edge. */
    int switches() {
        return switches.get();
    }

    HttpResponse<String> send(String method, String path, String token, String json, String... headers) {
        int attempts = IDEMPOTENT.contains(method) || carriesIdempotencyKey(headers) ? bases.size() : 1;
        IOException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int index = current.get();
            try {
                return http.send(request(bases.get(index % bases.size()), method, path, token, json, headers),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                if (current.compareAndSet(index, index + 1)) {
                    switches.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new UncheckedIOException(method + " " + path + " via " + bases, last);
    }

    private static boolean carriesIdempotencyKey(String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Idempotency-Key")) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest request(URI base, String method, String path, String token, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    /** Logs in and returns the session token from X-Auth-Token. */
    String login(String username, String password) {
        HttpResponse<String> response = send("POST", "/api/v1/session", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("login of " + username + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("X-Auth-Token")
                .orElseThrow(() -> new AssertionError("login gave no X-Auth-Token header"));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Cluster.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
