package io.casswarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The workload through edge, as an API client sends it: logged in as the administrator, its
 * documents in collections {@code bench-0..N-1}; reads by id, merge patches
 * ({@code application/merge-patch+json}) and creates ({@code POST}, id chosen by gate).
 * Requests are spread over every edge address in turn, as DNS round robin spreads clients.
 */
final class EdgeWorkload implements LoadLoop.Request {

    private static final int PRELOAD_BULK = 20;
    private static final int PRELOAD_ATTEMPTS = 5;

    static final String PATH = "edge";

    private final BenchOptions options;
    private final String run;
    private final ObjectMapper json;
    private final HttpClient http;
    private final List<URI> edges;
    private volatile String token;

    EdgeWorkload(BenchOptions options, String run, ObjectMapper json) {
        this.options = options;
        this.run = run;
        this.json = json;
        this.edges = options.edges();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingClusterCa(options.root().resolve("infra/.secrets/ca.crt")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** HTTPS to edge trusting the cluster CA only, as the README tells API clients to. */
    private static javax.net.ssl.SSLContext trustingClusterCa(java.nio.file.Path ca) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(ca)) {
            java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("casswarm-ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            javax.net.ssl.TrustManagerFactory trust =
                    javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new IllegalStateException("no cluster CA at " + ca + " (" + e.getMessage() + "): run infra/cluster up first");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + ca, e);
        }
    }

    /** Every edge answers /health with UP, or the run stops here with what it said. */
    void checkHealth() throws IOException, InterruptedException {
        for (URI edge : edges) {
            HttpResponse<String> health;
            try {
                health = http.send(HttpRequest.newBuilder(edge.resolve("/health")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("edge at " + edge + " does not answer (" + e.getMessage()
                        + "): is the cluster up? see infra/cluster status");
            }
            if (health.statusCode() != 200 || !"UP".equals(json.readTree(health.body()).path("status").asText())) {
                throw new IllegalStateException("the stack is not healthy through edge at " + edge + ": " + health.statusCode()
                        + " " + health.body() + " (see infra/cluster status)");
            }
        }
    }

    void login(String password) throws IOException, InterruptedException {
        String body = json.writeValueAsString(java.util.Map.of("username", "admin", "password", password));
        HttpResponse<String> answer = http.send(post(edges.get(0), "/api/v1/session", body, "application/json"),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("login as admin answered " + answer.statusCode() + ": " + answer.body()
                    + " (the password is read from infra/.secrets/admin_password)");
        }
        token = answer.headers().firstValue("X-Auth-Token")
                .orElseThrow(() -> new IllegalStateException("login answered no X-Auth-Token"));
    }

    /**
     * The documents reads and patches go to: {@code --documents} per collection, in bulks of 20
     * (a bulk of 100 conditional writes can outlast gate's 5 s call to storage on a slow ring).
     * A bulk answered 503 is sent again with its Idempotency-Key: what was applied is answered
     * as applied, nothing twice.
     */
    void preload() throws IOException, InterruptedException {
        for (int c = 0; c < options.collections(); c++) {
            for (int from = 0; from < options.documents(); from += PRELOAD_BULK) {
                StringBuilder items = new StringBuilder("{\"documents\":[");
                for (int i = from; i < Math.min(options.documents(), from + PRELOAD_BULK); i++) {
                    items.append(i == from ? "" : ",").append("{\"id\":\"").append(Documents.preloaded(run, i))
                            .append("\",\"ttlSeconds\":").append(Documents.TTL_SECONDS).append(",\"body\":")
                            .append(Documents.body(options.sizeBytes(), i)).append('}');
                }
                String path = "/api/v1/collections/" + collection(c) + "/bulk";
                String key = "\"" + UUID.randomUUID() + "\"";
                HttpResponse<String> answer = null;
                for (int attempt = 1; attempt <= PRELOAD_ATTEMPTS; attempt++) {
                    HttpRequest request = HttpRequest.newBuilder(post(edges.get(0), path, items + "]}", "application/json"),
                            (name, value) -> true).header("Idempotency-Key", key).build();
                    answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 503) {
                        break;
                    }
                    Thread.sleep(1000L * attempt);
                }
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
                }
                for (JsonNode item : json.readTree(answer.body()).path("items")) {
                    if (item.path("status").asInt() != 201) {
                        throw new IllegalStateException("a preloaded document was not created: " + item);
                    }
                }
            }
        }
    }

    @Override
    public CompletionStage<?> start(Operation operation, long n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        URI edge = edges.get((int) (n % edges.size()));
        String documents = "/api/v1/collections/" + collection(random.nextInt(options.collections())) + "/documents";
        HttpRequest request;
        int expected;
        switch (operation) {
            case READ -> {
                request = authorized(HttpRequest.newBuilder(edge.resolve(documents + "/"
                        + Documents.preloaded(run, random.nextInt(options.documents())))).GET());
                expected = 200;
            }
            case PATCH -> {
                request = authorized(HttpRequest.newBuilder(edge.resolve(documents + "/"
                                + Documents.preloaded(run, random.nextInt(options.documents()))))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(Documents.patch(n))));
                expected = 200;
            }
            default -> {
                request = authorized(HttpRequest.newBuilder(edge.resolve(documents + "?ttl=" + Documents.TTL_SECONDS))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Documents.body(options.sizeBytes(), n))));
                expected = 201;
            }
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(answer -> {
            if (answer.statusCode() != expected) {
                throw new LoadLoop.UnexpectedStatus(answer.statusCode(), operation.key());
            }
            return answer;
        });
    }

    private HttpRequest authorized(HttpRequest.Builder builder) {
        return builder.timeout(Duration.ofSeconds(30)).header("X-Auth-Token", token).build();
    }

    private HttpRequest post(URI edge, String path, String body, String type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(edge.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        return builder.build();
    }

    static String collection(int c) {
        return "bench-" + c;
    }
}
