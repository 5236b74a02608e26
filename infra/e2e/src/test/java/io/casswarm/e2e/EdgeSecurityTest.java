package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacker's view of edge, from outside, on the published ports only: HTTPS with HSTS,
 * plain HTTP only redirecting, nothing but the API, its documentation and a bare /health
 * served, slow clients cut off, one address unable to crowd out another (by connections or by
 * request rate), request ids that no client can forge, and no query string in edge's logs
 * (docs/SECURITY.md).
 */
@Order(85)
class EdgeSecurityTest {

    private static final String DATA_STREAM = "logs-casswarm-default";
    /** haproxy.cfg's "timeout http-request". */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** edge's own 404 (haproxy.cfg), for every path it does not serve. */
    private static final String EDGE_NOT_FOUND = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}";
    /** stack.yml's default EDGE_CONN_PER_CLIENT. */
    private static final int CONN_PER_CLIENT = Integer.parseInt(System.getenv().getOrDefault("EDGE_CONN_PER_CLIENT", "200"));

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge();
    private final URI base = cluster.edgeUrls().get(0);

    @Test
    void apiAnswersOnHttpsWithHstsNosniffAndNoStore() {
        HttpResponse<String> me = edge.send("GET", "/api/v1/session", null, null);
        assertEquals(401, me.statusCode(), "the API answers over HTTPS (unauthenticated): " + me.body());
        assertTrue(me.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="), "HSTS: " + me.headers().map());
        assertEquals("nosniff", me.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-store", me.headers().firstValue("Cache-Control").orElse(""));
        String token = edge.login("admin", cluster.adminPassword());
        assertEquals(200, edge.send("GET", "/api/v1/session", token, null).statusCode(), "a session works over HTTPS");
    }

    @Test
    void plainHttpOnlyRedirectsToHttps() throws Exception {
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        URI http = URI.create("http://" + base.getHost() + ":" + Cluster.EDGE_HTTP_PORT);
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> answer = plain.send(HttpRequest.newBuilder(http.resolve("/api/v1/session?x=1"))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"x\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(301, answer.statusCode(), method + " over plain HTTP: " + answer.body());
            assertEquals("https://" + base.getHost() + ":" + Cluster.EDGE_PORT + "/api/v1/session?x=1",
                    answer.headers().firstValue("Location").orElse(""), "redirected to the same path on HTTPS");
            assertTrue(answer.body().isEmpty(), "no API answer over plain HTTP: " + answer.body());
        }
    }

    @Test
    void onlyTheApiDocsAndABareHealthAreServed() throws IOException {
        HttpResponse<String> health = edge.send("GET", "/health", null, null);
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\"}", health.body(), "edge's /health is bare");
        for (String path : List.of("/health/liveness", "/health/readiness", "/prometheus", "/env", "/beans", "/loggers",
                "/routes", "/info", "/metrics", "/threaddump", "/refresh", "/", "/internal/v1/tenants", "/api")) {
            HttpResponse<String> answer = edge.send("GET", path, null, null);
            assertEquals(404, answer.statusCode(), path + " through the published port: " + answer.body());
            assertEquals(EDGE_NOT_FOUND, answer.body(), path + " answered by edge itself, never reaching gate");
        }
        // Dot segments and encoded separators sent as they are (a client library would fold them).
        for (String path : List.of("/api/../health/readiness", "/api/v1/..%2f..%2fprometheus", "/api//../env",
                "/swagger/%2e%2e/health/liveness")) {
            String status = rawStatusLine("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n");
            assertTrue(status.startsWith("HTTP/1.1 400") || status.startsWith("HTTP/1.1 404"), path + " sent as is: " + status);
        }
        HttpResponse<String> docs = edge.send("GET", "/swagger-ui/index.html", null, null);
        assertFalse(docs.body().equals(EDGE_NOT_FOUND), "the documentation paths reach gate: " + docs.statusCode());
    }

    @Test
    void oversizedHeadsAndBodiesAreRefusedAtEdge() throws IOException {
        String head = "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        String body = "{\"x\":\"" + "a".repeat(32 * 1024);
        assertTrue(rawStatusLine(head + "Content-Length: 9000000\r\n\r\n" + body).startsWith("HTTP/1.1 413"),
                "a body above 8 MiB is refused by edge");
        assertTrue(rawStatusLine(head + "X-Padding: " + "b".repeat(20_000) + "\r\nContent-Length: 2\r\n\r\n{}")
                .startsWith("HTTP/1.1 400"), "a request head above 15 KiB is refused by edge");
    }

    @Test
    void aSlowBodyIsCutOffWithinTheRequestTimeout() throws Exception {
        try (SSLSocket socket = tlsSocket()) {
            socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/session HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readStatusLine(socket));
            // One byte every 2 s: a connection kept busy forever if nothing cut it.
            while (!answer.isDone() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(2_000);
            }
            String status = answer.get(30, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            cluster.report("slow body cut off after " + took.toMillis() + " ms: " + status);
            assertTrue(status == null || status.startsWith("HTTP/1.1 408") || status.isEmpty(), "answered 408 or closed: " + status);
            assertTrue(took.compareTo(REQUEST_TIMEOUT.plusSeconds(20)) < 0, "cut within the request timeout (+20 s slack): " + took);
        }
    }

    @Test
    void connectionsHeldByOneAddressDoNotStopAnother() throws Exception {
        SecondAddress other = SecondAddress.start(cluster, base);
        List<SocketChannel> held = new ArrayList<>();
        try {
            assertEquals("200", other.status("/health"), "the other address is served before the flood");
            for (int i = 0; i < 500; i++) {
                held.add(SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort())));
            }
            String sameAddress = statusFromThisJvm("/health");
            String during = other.status("/api/v1/session");
            int closed = closedByEdge(held, Duration.ofSeconds(3));
            cluster.report("500 connections from one address: " + closed + " closed by edge at once; another address answered "
                    + during + ", the flooding address itself " + sameAddress);
            assertEquals("401", during, "another address reaches the API while one address holds 500 connections");
            assertTrue(sameAddress.startsWith("000"), "the flooding address gets no more connections: " + sameAddress);
            assertTrue(closed >= 500 - CONN_PER_CLIENT - 20,
                    "edge closes the connections beyond EDGE_CONN_PER_CLIENT=" + CONN_PER_CLIENT + ": closed " + closed);
        } finally {
            for (SocketChannel channel : held) {
                channel.close();
            }
        }
    }

    /**
     * EDGE_REQ_RATE_PER_CLIENT is lowered for this test (the default, 10,000 per 10 s, is more
     * than this machine can send) and rolled back after: the rolled-back spec is the deployed one.
     * Both edge tasks restart at once, there and back (parallelism 2 for the update and for its
     * rollback), instead of one after the other: the test waits for edge anyway, and this saves
     * two restarts of CI's time.
     */
    @Test
    void oneAddressOverTheRequestRateIsAnswered429AndAnotherIsNot() throws Exception {
        int limit = 100;
        String service = cluster.serviceName("edge");
        cluster.docker("service", "update", "--detach=false", "--quiet", "--env-add", "EDGE_REQ_RATE_PER_CLIENT=" + limit,
                        "--update-parallelism", "2", "--rollback-parallelism", "2", service)
                .orFail("lower edge's request rate per address");
        try {
            SecondAddress other = SecondAddress.start(cluster, base);
            HttpClient https = HttpClient.newBuilder().sslContext(ClusterCa.sslContext(cluster.root)).build();
            Cluster.waitFor("edge back after the update", Duration.ofSeconds(60), () -> "200".equals(statusFromThisJvm("/health")));
            // A path edge answers itself (404): the burst costs gate nothing and takes well under the 10 s window.
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 2 * limit; i++) {
                HttpResponse<String> answer = https.send(HttpRequest.newBuilder(base.resolve("/rate-e2e"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                statuses.add(answer.statusCode());
                if (answer.statusCode() == 429 && refused == null) {
                    refused = answer;
                }
            }
            String during = other.status("/health");
            int served = statuses.indexOf(429) < 0 ? statuses.size() : statuses.indexOf(429);
            cluster.report("request rate limit " + limit + " per 10 s: " + served + " of " + statuses.size()
                    + " served before 429; another address answered " + during);
            assertTrue(refused != null, "edge answers 429 past the limit: " + statuses);
            assertTrue(served <= limit, "at most the limit is served (earlier requests of this address count too): " + served);
            assertTrue(statuses.subList(served, statuses.size()).stream().allMatch(s -> s == 429),
                    "every request after the first 429 is refused while the rate stays high: " + statuses);
            assertEquals("10", refused.headers().firstValue("Retry-After").orElse(""), "Retry-After on 429");
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), refused.body());
            assertEquals("200", during, "another address is served while this one is refused");
            Cluster.waitFor("this address served again once its rate falls", Duration.ofSeconds(40),
                    () -> "200".equals(statusFromThisJvm("/health")));
        } finally {
            cluster.docker("service", "update", "--detach=false", "--quiet", "--rollback", service)
                    .orFail("roll edge back to its deployed request rate");
            Cluster.waitFor("edge back after the rollback", Duration.ofSeconds(60), () -> "200".equals(statusFromThisJvm("/health")));
        }
    }

    @Test
    void edgeMintsTheRequestIdThatGateAndStorageLog() throws Exception {
        String token = edge.login("admin", cluster.adminPassword());
        String first = "forged-" + UUID.randomUUID();
        String second = "forged-" + UUID.randomUUID();
        HttpClient https = HttpClient.newBuilder().sslContext(ClusterCa.sslContext(cluster.root)).build();
        HttpResponse<String> answer = https.send(HttpRequest.newBuilder(base.resolve("/api/v1/collections/edge-e2e/documents/absent"))
                .header("X-Auth-Token", token).header("X-Request-Id", first).header("X-Request-Id", second)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, answer.statusCode(), answer.body());
        String id = answer.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(id.matches("[0-9a-f-]{36}"), "one id of edge's own: " + answer.headers().allValues("X-Request-Id"));
        assertEquals(1, answer.headers().allValues("X-Request-Id").size());

        Cluster.waitFor("edge, gate and storage events with trace.id " + id, Duration.ofSeconds(20),
                () -> servicesWithTraceId(id).containsAll(Set.of("edge", "gate", "storage")));
        assertTrue(servicesWithTraceId(first).isEmpty() && servicesWithTraceId(second).isEmpty(),
                "no service logged a client's id as the request id");
    }

    @Test
    void queryStringsStayOutOfEdgesLogs() {
        String token = edge.login("admin", cluster.adminPassword());
        String marker = "querysecret" + UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> answer = edge.send("GET", "/api/v1/collections/edge-e2e/documents?limit=5&cursor=" + marker, token, null);
        String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode event = Cluster.waitForValue("edge's event for " + id, Duration.ofSeconds(20),
                () -> edgeEvents(id), hits -> hits.size() > 0).get(0).path("_source");
        assertEquals("/api/v1/collections/edge-e2e/documents", event.path("url.path").asText());
        assertFalse(event.toString().contains(marker), "the query string is not in edge's event: " + event);
        // Each running edge container's own log, through its node's engine: swarm's aggregated
        // "docker service logs" hung past 2 minutes on the simulated swarm after the rate test
        // had rolled edge forward and back (CI, 2026-12-05).
        StringBuilder stdout = new StringBuilder();
        for (Cluster.Task task : cluster.containers("edge")) {
            stdout.append(cluster.onNode(task.node(), "logs", "--since", "5m", task.container()).orFail("edge's log on " + task.node()).output());
        }
        assertTrue(stdout.toString().contains("id=" + id), "edge's stdout line for the request is there");
        assertFalse(stdout.toString().contains(marker), "the query string is not in edge's stdout log");
    }

    // ---- helpers -----------------------------------------------------------------------

    private SSLSocket tlsSocket() throws IOException {
        SSLSocket socket = (SSLSocket) ClusterCa.sslContext(cluster.root).getSocketFactory().createSocket(base.getHost(), base.getPort());
        socket.startHandshake();
        return socket;
    }

    /** Status code of GET path from this JVM's usual address, "000" when edge refuses the connection. */
    private String statusFromThisJvm(String path) {
        try {
            String line = rawStatusLine("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return line.length() >= 12 ? line.substring(9, 12) : "000 (" + line + ")";
        } catch (IOException e) {
            return "000 (" + e + ")";
        }
    }

    /**
     * Sends a request exactly as written and returns the answer's status line. The answer is
     * read while the request is still being written: edge may refuse a request (413) and close
     * before its body is all sent, and the write then fails with a broken pipe.
     */
    private String rawStatusLine(String request) throws IOException {
        try (SSLSocket socket = tlsSocket()) {
            socket.setSoTimeout(20_000);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readStatusLine(socket));
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException refusedMidRequest) {
                // edge answered and closed; its answer is what the reader gets
            }
            try {
                return answer.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for edge's answer", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("no answer from edge", e);
            }
        }
    }

    /** The first line edge sends, "" when it closes without answering. */
    private static String readStatusLine(SSLSocket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** How many of the channels edge has closed within the wait (read gives end of stream). */
    private static int closedByEdge(List<SocketChannel> channels, Duration wait) throws Exception {
        Set<Integer> closed = new TreeSet<>();
        long deadline = System.nanoTime() + wait.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        for (SocketChannel channel : channels) {
            channel.configureBlocking(false);
        }
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < channels.size(); i++) {
                if (closed.contains(i)) {
                    continue;
                }
                buffer.clear();
                try {
                    if (channels.get(i).read(buffer) == -1) {
                        closed.add(i);
                    }
                } catch (IOException reset) {
                    closed.add(i);
                }
            }
            Thread.sleep(200);
        }
        return closed.size();
    }

    private Set<String> servicesWithTraceId(String requestId) {
        JsonNode result = cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_search?ignore_unavailable=true",
                "{\"size\":0,\"query\":{\"term\":{\"trace.id\":\"" + requestId + "\"}},"
                        + "\"aggs\":{\"services\":{\"terms\":{\"field\":\"service.name\"}}}}");
        Set<String> services = new TreeSet<>();
        result.path("aggregations").path("services").path("buckets").forEach(b -> services.add(b.path("key").asText()));
        return services;
    }

    private JsonNode edgeEvents(String requestId) {
        return cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_search?ignore_unavailable=true",
                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"trace.id\":\"" + requestId + "\"}},"
                        + "{\"term\":{\"service.name\":\"edge\"}}]}}}").path("hits").path("hits");
    }

    /**
     * A client at another source address than this JVM's other connections, reaching the same
     * published port. On one machine every connection from the host to 127.0.0.1 reaches edge
     * through Docker's userland proxy, from docker_gwbridge's gateway address, and so does one
     * from a container on a bridge (masqueraded, or proxied): neither 127.0.0.2 nor a container
     * is a second address there. A socket bound to the host's own non-Docker address (eth0)
     * and sent to that same address's published port is DNATed straight to edge and keeps its
     * source. On the simulated swarm the same socket goes to the edge node's address over the
     * machines' bridge, unmasqueraded.
     */
    record SecondAddress(Cluster cluster, InetAddress local, String target, int port) {

        static SecondAddress start(Cluster cluster, URI base) throws IOException {
            InetAddress local = hostAddress();
            String target = Cluster.simulated() ? base.getHost() : local.getHostAddress();
            return new SecondAddress(cluster, local, target, base.getPort());
        }

        /** Status code of GET path, as a string ("000" when not answered). */
        String status(String path) {
            try (Socket plain = new Socket()) {
                plain.bind(new InetSocketAddress(local, 0));
                plain.connect(new InetSocketAddress(target, port), 5_000);
                plain.setSoTimeout(20_000);
                try (SSLSocket tls = (SSLSocket) ClusterCa.sslContext(cluster.root).getSocketFactory()
                        .createSocket(plain, "localhost", port, true)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(parameters);
                    tls.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    String line = readStatusLine(tls);
                    return line.length() >= 12 ? line.substring(9, 12) : "000 (" + line + ")";
                }
            } catch (IOException e) {
                return "000 (" + e + ")";
            }
        }

        /** The host's first IPv4 address on an interface that is not Docker's nor loopback. */
        private static InetAddress hostAddress() throws IOException {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String name = nic.getName();
                if (!nic.isUp() || nic.isLoopback() || name.startsWith("docker") || name.startsWith("br-")
                        || name.startsWith("veth")) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
            throw new AssertionError("no non-Docker IPv4 address on this host to send from");
        }
    }
}
