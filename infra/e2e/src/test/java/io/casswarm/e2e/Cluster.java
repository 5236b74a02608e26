package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live cluster as the tests see it: the infra/cluster command, docker, the nodes'
 * nodetool, storage's internal API (reached through docker exec, since it is not published)
 * and the public edge port.
 */
final class Cluster {

    static final String STACK = System.getenv().getOrDefault("CASSWARM_STACK", "casswarm");
    static final int EDGE_PORT = Integer.parseInt(System.getenv().getOrDefault("EDGE_PORT", "8080"));
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern HOST_ID = Pattern.compile("^ID\\s*:\\s*(\\S+)", Pattern.MULTILINE);

    final Path root;
    final Shell shell;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Cluster() {
        this.root = Path.of(System.getProperty("casswarm.root", "../..")).toAbsolutePath().normalize();
        this.shell = new Shell(root);
    }

    // ---- infra/cluster and docker ---------------------------------------------------

    Shell.Result clusterCommand(Duration timeout, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("infra/cluster").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return shell.run(timeout, true, command);
    }

    Shell.Result docker(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        return shell.run(Duration.ofMinutes(2), command);
    }

    String serviceName(String service) {
        return STACK + "_" + service;
    }

    /** The running container of a service on this node, if any. */
    Optional<String> container(String service) {
        String out = docker("ps", "--filter", "label=com.docker.swarm.service.name=" + serviceName(service),
                "--filter", "status=running", "--format", "{{.ID}}").orFail("docker ps").output().strip();
        return out.isEmpty() ? Optional.empty() : Optional.of(out.lines().findFirst().orElseThrow());
    }

    String requireContainer(String service) {
        return container(service).orElseThrow(() -> new AssertionError("no running container for " + service));
    }

    /** Every running container of a service on this node. */
    List<String> containers(String service) {
        String out = docker("ps", "--filter", "label=com.docker.swarm.service.name=" + serviceName(service),
                "--filter", "status=running", "--format", "{{.ID}}").orFail("docker ps").output().strip();
        return out.isEmpty() ? List.of() : out.lines().toList();
    }

    /** The service has a running container here and its health check passes. */
    boolean healthy(String service) {
        return container(service).map(c -> "healthy".equals(health(c))).orElse(false);
    }

    String health(String container) {
        return docker("inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", container)
                .orFail("docker inspect").output().strip();
    }

    Shell.Result nodetool(String service, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("exec", requireContainer(service), "nodetool"));
        command.addAll(List.of(args));
        return docker(command.toArray(String[]::new));
    }

    /** Lines of {@code nodetool status} (seen from cassandra1) that start with the given state. */
    long ringNodes(String state) {
        if (container("cassandra1").isEmpty()) {
            return 0;
        }
        Shell.Result status = nodetool("cassandra1", "status");
        return status.ok() ? status.output().lines().filter(line -> line.startsWith(state)).count() : 0;
    }

    String hostId(String service) {
        String info = nodetool(service, "info").orFail("nodetool info").output();
        Matcher m = HOST_ID.matcher(info);
        if (!m.find()) {
            throw new AssertionError("no host ID in nodetool info:\n" + info);
        }
        return m.group(1);
    }

    // ---- storage's internal API, from inside a storage container -------------------

    record Answer(int status, String body, String contentType, String retryAfter) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    /** A request to a URL inside one container, with a given request id. */
    Answer dockerExecCurl(String container, String method, String url, String requestId) {
        return curlIn(container, method, url, null, "X-Request-Id: " + requestId);
    }

    Answer storage(String method, String path, String jsonBody) {
        return curlIn(requireContainer("storage"), method, "http://127.0.0.1:8081" + path, jsonBody,
                "Accept: application/json");
    }

    /** curl run inside a container; status, content type and Retry-After come from -w. */
    private Answer curlIn(String container, String method, String url, String jsonBody, String header) {
        List<String> command = new java.util.ArrayList<>(List.of("exec", container, "curl", "-sS", "-m", "20",
                "-X", method, "-w", "\n%{http_code}|%{content_type}|%header{retry-after}", "-H", header));
        if (jsonBody != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", jsonBody));
        }
        command.add(url);
        Shell.Result result = docker(command.toArray(String[]::new));
        if (!result.ok()) {
            return new Answer(0, result.output(), "", "");
        }
        String out = result.output();
        int cut = out.lastIndexOf('\n');
        String[] meta = out.substring(cut + 1).strip().split("\\|", -1);
        String contentType = meta[1].split(";")[0].strip();
        return new Answer(Integer.parseInt(meta[0]), cut < 0 ? "" : out.substring(0, cut), contentType, meta[2].strip());
    }

    // ---- Elasticsearch, from inside its container (it is not published) -------------

    JsonNode elasticsearch(String method, String path, String jsonBody) {
        List<String> command = new java.util.ArrayList<>(List.of("exec", requireContainer("elasticsearch"),
                "curl", "-sS", "-m", "20", "-X", method, "-H", "Content-Type: application/json"));
        if (jsonBody != null) {
            command.addAll(List.of("--data-binary", jsonBody));
        }
        command.add("http://127.0.0.1:9200" + path);
        String out = docker(command.toArray(String[]::new)).orFail("curl elasticsearch " + path).output();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("Elasticsearch answered no JSON to " + path + ": " + out, e);
        }
    }

    // ---- the public edge --------------------------------------------------------------

    HttpResponse<String> edgeGet(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EDGE_PORT + path))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- waiting and reporting ------------------------------------------------------

    /** Polls until the condition holds; fails with the last observation after the timeout. */
    static Duration waitFor(String what, Duration timeout, Supplier<Boolean> condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    System.out.printf("  ok after %d s: %s%n", took.toSeconds(), what);
                    return took;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what, last);
    }

    /** Polls until a fetched value satisfies the test and returns it. */
    static <T> T waitForValue(String what, Duration timeout, Supplier<T> fetch, java.util.function.Predicate<T> test) {
        java.util.concurrent.atomic.AtomicReference<T> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            waitFor(what, timeout, () -> {
                T value = fetch.get();
                last.set(value);
                return test.test(value);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last.get(), e);
        }
        return last.get();
    }

    /** Adds a measured figure to target/e2e-report.txt (and the test log) for the issue notes. */
    void report(String line) {
        System.out.println("REPORT " + line);
        try {
            Path file = root.resolve("infra/e2e/target/e2e-report.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
