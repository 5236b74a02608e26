package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What edge really answers agrees with the OpenAPI document it serves: an ordinary session
 * goes through Prism's validating proxy ({@code prism proxy}) in front of the first edge, and
 * Prism checks every request and answer against the document. Prism runs without
 * {@code --errors}, so edge's answers pass unchanged and every violation Prism finds (in the
 * request or the answer, errors and warnings alike, an undocumented route too) comes back in
 * its {@code sl-violations} header; the test collects them all and fails listing them.
 *
 * <p>Prism is installed here by npm into infra/e2e/target/prism (a machine needs Node and
 * npm, nothing else); its output goes to target/prism/prism.log.
 */
@Order(66)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {

    /** 5.14.2 runs on Node 18.20 and later; 5.15 and later need Node 24. */
    private static final String PRISM = "@stoplight/prism-cli@5.14.2";
    /** Where Prism proxy reports what it found, as a JSON array (prism-http-server). */
    private static final String VIOLATIONS = "sl-violations";
    private static final String COLLECTION = "conformance" + UUID.randomUUID().toString().substring(0, 8);

    private final Cluster cluster = new Cluster();
    private final List<String> violations = new ArrayList<>();
    private Process prism;
    private URI proxy;
    private Edge throughPrism;

    @BeforeAll
    void startPrism() throws IOException {
        Path work = cluster.root.resolve("infra/e2e/target/prism");
        Files.createDirectories(work);
        // The document the running gate serves, through edge: the contract of these very answers.
        HttpResponse<String> served = cluster.edgeGet("/swagger/casswarm.yml");
        assertEquals(200, served.statusCode(), "edge serves the OpenAPI document");
        Path document = work.resolve("casswarm.yml");
        Files.writeString(document, served.body());

        cluster.shell.run(Duration.ofMinutes(5), true, "npm", "install", "--prefix", work.toString(),
                "--no-audit", "--no-fund", "--no-save", "--loglevel=error", PRISM).orFail("npm install " + PRISM);

        int port = freePort();
        proxy = URI.create("http://127.0.0.1:" + port);
        Path log = work.resolve("prism.log");
        ProcessBuilder command = new ProcessBuilder(work.resolve("node_modules/.bin/prism").toString(), "proxy",
                document.toString(), cluster.edgeUrls().get(0).toString(), "--host", "127.0.0.1", "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Node's own CA list does not know the cluster CA that signed edge's certificate.
        command.environment().put("NODE_EXTRA_CA_CERTS", ClusterCa.certificate(cluster.root).toString());
        prism = command.start();
        String listening = "Prism is listening on " + proxy;
        Cluster.waitFor("Prism proxy listening on " + proxy, Duration.ofSeconds(90),
                () -> !prism.isAlive() || read(log).contains(listening));
        // A document Prism cannot read (an unresolved $ref) is fatal: it prints why and exits.
        assertTrue(prism.isAlive(), "Prism exited (" + log + "):\n" + read(log));
        throughPrism = cluster.edge().throughProxy(proxy);
    }

    @AfterAll
    void stopPrism() throws InterruptedException {
        if (prism != null) {
            prism.destroy();
            if (!prism.waitFor(10, TimeUnit.SECONDS)) {
                prism.destroyForcibly();
            }
        }
    }

    @Test
    void anOrdinarySessionMatchesTheDocument() {
        HttpResponse<String> login = expect(200, send("POST", "/api/v1/session", null,
                "{\"username\":\"admin\",\"password\":" + Cluster.JSON.valueToTree(cluster.adminPassword()) + "}"));
        String token = login.headers().firstValue("X-Auth-Token").orElseThrow(() -> new AssertionError("no X-Auth-Token"));

        String documents = "/api/v1/collections/" + COLLECTION + "/documents";
        HttpResponse<String> created = expect(201, send("POST", documents, token, "{\"status\":\"open\",\"n\":1}"));
        String path = documents + "/" + Edge.json(created).path("id").asText();
        expect(200, send("GET", path, token, null));
        expect(200, send("PUT", path, token, "{\"status\":\"open\",\"n\":2}", "If-Match", "\"1\""));
        expect(200, send("PATCH", path, token, "{\"n\":3}", "If-Match", "\"2\"", "Content-Type", "application/merge-patch+json"));
        expect(412, send("PUT", path, token, "{\"n\":4}", "If-Match", "\"1\""));

        expect(200, send("POST", "/api/v1/collections/" + COLLECTION + "/bulk", token,
                "{\"documents\":[{\"body\":{\"status\":\"open\",\"n\":10}},{\"id\":\"b2\",\"body\":{\"status\":\"open\",\"n\":11}},"
                        + "{\"body\":{\"status\":\"closed\",\"n\":12}}]}"));
        // Three open documents, two a page: a first page naming the next, then the last page.
        String open = documents + "?limit=2&where=" + URLEncoder.encode("{\"status\":\"open\"}", StandardCharsets.UTF_8);
        HttpResponse<String> first = expect(200, send("GET", open, token, null));
        JsonNode cursor = Edge.json(first).path("nextCursor");
        assertTrue(cursor.isTextual(), "a first page of two of three names the next: " + first.body());
        HttpResponse<String> last = expect(200, send("GET", open + "&cursor="
                + URLEncoder.encode(cursor.asText(), StandardCharsets.UTF_8), token, null));
        assertEquals(1, Edge.json(last).path("items").size(), last.body());

        expect(204, send("DELETE", path, token, null));
        expect(404, send("GET", path, token, null));

        expect(200, send("GET", "/api/v1/session", token, null));
        expect(204, send("DELETE", "/api/v1/session", token, null));
        expect(401, send("GET", "/api/v1/session", token, null));

        assertTrue(violations.isEmpty(), found());
    }

    /** The answer has this status; if not, what Prism found so far is in the failure too. */
    private HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), () -> response.request().method() + " " + response.request().uri()
                + " answered " + response.body() + (violations.isEmpty() ? "" : "\n" + found()));
        return response;
    }

    private String found() {
        return "Prism found " + violations.size() + " requests or answers not as the document says:\n"
                + String.join("\n", violations);
    }

    /** One request through Prism; any violation it reports is kept for the end. */
    private HttpResponse<String> send(String method, String path, String token, String json, String... headers) {
        HttpResponse<String> response = throughPrism.send(method, path, token, json, headers);
        response.headers().allValues(VIOLATIONS).forEach(found ->
                violations.add(method + " " + path + " -> " + response.statusCode() + ": " + found));
        return response;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
