package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live cluster as the tests see it: the infra/cluster command, the swarm (through its
 * manager: the local engine, or the one DOCKER_HOST names), the containers of its tasks on
 * whichever node runs them, the nodes' nodetool, storage's internal API (reached from inside a
 * storage container, since it is not published) and the public edge port on every edge node.
 *
 * <p>On a single machine every node is this one and its engine is the local one. On the
 * simulated swarm ({@code infra/sim}, CASSWARM_SIM set by {@code infra/sim env}) a node's engine
 * is reached through the host engine: {@code docker exec <machine> docker ...}. The tests may
 * look into any node; infra/cluster itself never does.
 */
final class Cluster {

    static final String STACK = System.getenv().getOrDefault("CASSWARM_STACK", "casswarm");
    /** edge's published HTTPS port; plain HTTP on EDGE_HTTP_PORT only redirects. */
    static final int EDGE_PORT = Integer.parseInt(System.getenv().getOrDefault("EDGE_PORT", "8443"));
    static final int EDGE_HTTP_PORT = Integer.parseInt(System.getenv().getOrDefault("EDGE_HTTP_PORT", "8080"));
    static final ObjectMapper JSON = new ObjectMapper();
    /** Path of infra/sim when the suite runs on the simulated swarm. */
    static final String SIM = System.getenv("CASSWARM_SIM");

    private static final Pattern HOST_ID = Pattern.compile("^ID\\s*:\\s*(\\S+)", Pattern.MULTILINE);

    /** One task of a service that has a container: where it runs and which container it is. */
    record Task(String service, String id, String node, String container, String state) {
        boolean running() {
            return state.startsWith("Running");
        }
    }

    final Path root;
    final Shell shell;
    private HttpClient http;

    Cluster() {
        this.root = Path.of(System.getProperty("casswarm.root", "../..")).toAbsolutePath().normalize();
        this.shell = new Shell(root);
    }

    /** HTTPS to edge, trusting the cluster CA (read when first needed: up makes it). */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ClusterCa.sslContext(root)).build();
        }
        return http;
    }

    static boolean simulated() {
        return SIM != null && !SIM.isBlank();
    }

    // ---- infra/cluster and the swarm manager ----------------------------------------

    Shell.Result clusterCommand(Duration timeout, String... args) {
        return clusterCommand(timeout, Map.of(), args);
    }

    /**
     * infra/cluster with the harness's own settings: the tier networks attachable, since its
     * probes join them with {@code docker run} (an up the tests run keeps them so).
     */
    Shell.Result clusterCommand(Duration timeout, Map<String, String> environment, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("infra/cluster").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Map<String, String> withHarness = new java.util.HashMap<>(environment);
        withHarness.putIfAbsent("CASSWARM_ATTACHABLE_NETWORKS", "true");
        return shell.run(timeout, true, withHarness, command);
    }

    /** Whether the stack is deployed on the swarm (healthy or not). */
    boolean stackDeployed() {
        return docker("stack", "ls", "--format", "{{.Name}}").orFail("docker stack ls").output().lines()
                .map(String::strip).anyMatch(STACK::equals);
    }

    /** docker against the swarm's manager (DOCKER_HOST when set). */
    Shell.Result docker(String... args) {
        return shell.run(Duration.ofMinutes(2), prefixed(List.of("docker"), args));
    }

    String serviceName(String service) {
        return STACK + "_" + service;
    }

    // ---- nodes ---------------------------------------------------------------------

    /** docker on one node's own engine. */
    Shell.Result onNode(String node, String... args) {
        if (!simulated()) {
            return docker(args);
        }
        return shell.run(Duration.ofMinutes(2), prefixed(List.of("docker", "--host", "unix:///var/run/docker.sock", "exec", node, "docker"), args));
    }

    /** A command of infra/sim (stop, start, status). */
    Shell.Result sim(Duration timeout, String... args) {
        if (!simulated()) {
            throw new IllegalStateException("not on the simulated swarm (CASSWARM_SIM unset)");
        }
        return shell.run(timeout, true, prefixed(List.of(SIM), args));
    }

    /** Hostnames of the swarm's nodes. */
    List<String> nodes() {
        return docker("node", "ls", "--format", "{{.Hostname}}").orFail("docker node ls").output().lines()
                .map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    }

    String managerNode() {
        return docker("node", "ls", "--filter", "role=manager", "--format", "{{.Hostname}}").orFail("docker node ls")
                .output().lines().findFirst().orElseThrow().strip();
    }

    /** Hostnames of the nodes carrying label=true. */
    List<String> nodesWithLabel(String label) {
        List<String> nodes = new ArrayList<>();
        for (String line : docker("node", "ls", "-q").orFail("docker node ls").output().lines().toList()) {
            String out = docker("node", "inspect", "--format",
                    "{{.Description.Hostname}} {{index .Spec.Labels \"" + label + "\"}}", line.strip())
                    .orFail("docker node inspect").output().strip();
            if (out.endsWith(" true")) {
                nodes.add(out.substring(0, out.indexOf(' ')));
            }
        }
        return nodes.stream().sorted().toList();
    }

    /** The address other nodes (and this host, on the simulation's bridge) reach a node at. */
    String nodeAddress(String node) {
        if (!simulated()) {
            return "127.0.0.1";
        }
        String address = docker("node", "inspect", "--format", "{{.Status.Addr}}", node).orFail("node address").output().strip();
        if (address.isEmpty() || address.equals("0.0.0.0")) {
            String manager = docker("node", "inspect", "--format", "{{.ManagerStatus.Addr}}", node).orFail("manager address")
                    .output().strip();
            address = manager.substring(0, manager.lastIndexOf(':'));
        }
        return address;
    }

    boolean nodeReady(String node) {
        Shell.Result state = docker("node", "inspect", "--format", "{{.Status.State}}", node);
        return state.ok() && state.output().strip().equals("ready");
    }

    // ---- tasks and their containers --------------------------------------------------

    /** Tasks of a service meant to run, with a container (running, or starting), by slot order. */
    List<Task> tasks(String service) {
        Shell.Result ps = docker("service", "ps", serviceName(service), "--filter", "desired-state=running",
                "--format", "{{.ID}}|{{.Node}}|{{.CurrentState}}");
        if (!ps.ok()) {
            return List.of();
        }
        List<Task> tasks = new ArrayList<>();
        for (String line : ps.output().lines().toList()) {
            String[] f = line.split("\\|", -1);
            if (f.length < 3 || !(f[2].startsWith("Running") || f[2].startsWith("Starting"))) {
                continue;
            }
            String container = docker("inspect", "--format", "{{.Status.ContainerStatus.ContainerID}}", f[0]).output().strip();
            if (!container.isEmpty() && !container.startsWith("Error")) {
                tasks.add(new Task(service, f[0], f[1], container.substring(0, Math.min(12, container.length())), f[2]));
            }
        }
        return tasks;
    }

    /** A running (or starting) container of the service, if any. */
    Optional<Task> container(String service) {
        List<Task> tasks = tasks(service);
        return tasks.stream().filter(Task::running).findFirst().or(() -> tasks.stream().findFirst());
    }

    Task requireContainer(String service) {
        return container(service).orElseThrow(() -> new AssertionError("no running container for " + service));
    }

    /** Every running container of a service, on any node. */
    List<Task> containers(String service) {
        return tasks(service);
    }

    /** The service has a running container and its health check passes. */
    boolean healthy(String service) {
        return container(service).map(t -> "healthy".equals(health(t))).orElse(false);
    }

    String health(Task task) {
        return onNode(task.node(), "inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", task.container())
                .output().strip();
    }

    /**
     * One of gate's management endpoints (health details, metrics) from inside that gate task,
     * with the metrics credential Prometheus presents (its secret, read in the container).
     */
    Shell.Result gateManagement(Task gate, String path) {
        return exec(gate, "sh", "-c", "curl -fsS -m 10 -u \"prometheus:$(cat /run/secrets/metrics_password)\" "
                + "http://127.0.0.1:9090" + path);
    }

    Shell.Result exec(Task task, String... command) {
        return onNode(task.node(), prefixed(List.of("exec", task.container()), command));
    }

    Shell.Result kill(Task task) {
        return onNode(task.node(), "kill", task.container());
    }

    Shell.Result stop(Task task) {
        return onNode(task.node(), "stop", task.container());
    }

    /** Service name → nodes of its running tasks. */
    Map<String, List<String>> placement() {
        Map<String, List<String>> placement = new TreeMap<>();
        String out = docker("stack", "ps", STACK, "--filter", "desired-state=running", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}")
                .orFail("docker stack ps").output();
        for (String line : out.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 3 && f[2].equals("Running")) {
                String service = f[0].substring(STACK.length() + 1).replaceAll("\\..*$", "");
                placement.computeIfAbsent(service, s -> new ArrayList<>()).add(f[1]);
            }
        }
        return placement;
    }

    // ---- Cassandra through nodetool, on the node running it -------------------------

    Shell.Result nodetool(String service, String... args) {
        return exec(requireContainer(service), prefixed(List.of("nodetool"), args));
    }

    /** Lines of {@code nodetool status} (seen from cassandra1) that start with the given state. */
    long ringNodes(String state) {
        Optional<Task> cassandra1 = container("cassandra1");
        if (cassandra1.isEmpty()) {
            return 0;
        }
        Shell.Result status = exec(cassandra1.get(), "nodetool", "status");
        return status.ok() ? status.output().lines().filter(line -> line.startsWith(state)).count() : 0;
    }

    /**
     * Whether the row {@code id} of the probe table (written by {@link #cqlProbe}) is in the
     * SSTables of the named node itself: nodetool flush, then getsstables on that node.
     */
    boolean probeRowOnDisk(String service, String id) {
        nodetool(service, "flush", "e2e_probe", "rows").orFail("flush");
        return !nodetool(service, "getsstables", "e2e_probe", "rows", id).orFail("getsstables").output().isBlank();
    }

    String hostId(String service) {
        String info = nodetool(service, "info").orFail("nodetool info").output();
        Matcher m = HOST_ID.matcher(info);
        if (!m.find()) {
            throw new AssertionError("no host ID in nodetool info:\n" + info);
        }
        return m.group(1);
    }

    /**
     * Runs probe/CqlProbe (CQL through the DataStax driver in storage's jar) in a one-off
     * container of storage's image on the stack's network, on the manager (which the tests
     * never stop). Not inside a storage task: a second JVM there would outgrow its memory limit.
     */
    Shell.Result cqlProbe(String... args) {
        String compiled;
        try (var in = io.casswarm.e2e.probe.CqlProbe.class.getResourceAsStream("CqlProbe.class")) {
            compiled = java.util.Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String image = docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                serviceName("storage")).orFail("storage image").output().strip();
        // The ring requires credentials: the probe logs in as the superuser admin (it makes a
        // keyspace of its own), its password written to a file in the one-off container.
        String adminPassword;
        try {
            adminPassword = java.util.Base64.getEncoder().encodeToString(
                    Files.readString(root.resolve("infra/.secrets/cassandra_admin_password")).strip().getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("infra/.secrets/cassandra_admin_password: run infra/cluster up first", e);
        }
        String script = "umask 077 && mkdir -p /tmp/probe/io/casswarm/e2e/probe && echo " + adminPassword
                + " | base64 -d > /tmp/probe/cassandra_admin_password && echo " + compiled
                + " | base64 -d > /tmp/probe/io/casswarm/e2e/probe/CqlProbe.class && exec java -Xmx128m "
                + "-cp /app/app.jar:/tmp/probe io.casswarm.e2e.probe.CqlProbe " + String.join(" ", args);
        List<String> command = new ArrayList<>(simulated()
                ? List.of("docker", "--host", "unix:///var/run/docker.sock", "exec", managerNode(), "docker")
                : List.of("docker"));
        command.addAll(List.of("run", "--rm", "--network", network("data"), "-e", "LOG_SHIPPING_ENABLED=false",
                "--entrypoint", "sh", image, "-c", script));
        return shell.run(Duration.ofMinutes(5), command.toArray(String[]::new));
    }

    /**
     * The stack's network of a tier (edge, app, data, logs: stack.yml). The harness's one-off
     * containers join them with {@code docker run}, which needs the stack deployed with
     * {@code CASSWARM_ATTACHABLE_NETWORKS=true} ({@code infra/sim env} sets it).
     */
    String network(String tier) {
        String name = STACK + "_" + tier;
        String attachable = docker("network", "inspect", "--format", "{{.Attachable}}", name)
                .orFail("network " + name + " (is the stack up?)").output().strip();
        if (!"true".equals(attachable)) {
            throw new IllegalStateException("network " + name + " is not attachable: deploy the stack for the tests "
                    + "with CASSWARM_ATTACHABLE_NETWORKS=true infra/cluster up");
        }
        return name;
    }

    /** {@code docker run ARGS} on the manager (through its engine on the simulated swarm). */
    Shell.Result runOnManager(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(simulated()
                ? List.of("docker", "--host", "unix:///var/run/docker.sock", "exec", managerNode(), "docker")
                : List.of("docker"));
        command.add("run");
        command.addAll(List.of(args));
        return shell.run(timeout, command.toArray(String[]::new));
    }

    /** Swarm's version of every service of the stack: it changes with every update of a service. */
    Map<String, String> serviceVersions() {
        Map<String, String> versions = new TreeMap<>();
        String out = docker("service", "ls", "--filter", "label=com.docker.stack.namespace=" + STACK, "--format", "{{.Name}}")
                .orFail("docker service ls").output();
        for (String service : out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            versions.put(service, docker("service", "inspect", "--format", "{{.Version.Index}}", service).orFail("inspect")
                    .output().strip());
        }
        return versions;
    }

    /** Labels of every node: hostname → sorted label names. */
    Map<String, List<String>> nodeLabels() {
        Map<String, List<String>> labels = new TreeMap<>();
        for (String node : nodes()) {
            String out = docker("node", "inspect", "--format", "{{range $k, $v := .Spec.Labels}}{{$k}} {{end}}", node)
                    .orFail("node labels").output().strip();
            labels.put(node, out.isEmpty() ? List.of() : java.util.Arrays.stream(out.split("\\s+")).sorted().toList());
        }
        return labels;
    }

    void availability(String node, String availability) {
        docker("node", "update", "--availability", availability, node).orFail("node " + node + " " + availability);
    }

    /**
     * Puts one task of each given service on each of the two nodes: every other node is paused
     * (no new tasks, the running ones stay), the services are rolled, the nodes made active
     * again. The fault tests use it to lose a machine that runs what they want to see lost.
     */
    void spreadOver(String first, String second, String... services) {
        Map<String, List<String>> now = placement();
        List<String> toRoll = java.util.Arrays.stream(services).filter(service -> {
            List<String> on = now.getOrDefault(service, List.of());
            return !on.contains(first) || !on.contains(second);
        }).toList();
        if (toRoll.isEmpty()) {
            return;
        }
        List<String> paused = nodes().stream().filter(n -> !n.equals(first) && !n.equals(second)).toList();
        try {
            paused.forEach(n -> availability(n, "pause"));
            for (String service : toRoll) {
                // Swarm spreads a service's tasks as a preference, not a rule: a node where its
                // tasks failed a moment ago (a machine test just before) is passed over, and a
                // roll can put both on one node. Rolled again until spread, three times at most.
                for (int roll = 1; ; roll++) {
                    shell.run(Duration.ofMinutes(10), "docker", "service", "update", "--force", "--detach=false", "--quiet",
                            serviceName(service)).orFail("roll " + service);
                    List<String> on = placement().getOrDefault(service, List.of());
                    if (on.contains(first) && on.contains(second)) {
                        break;
                    }
                    if (roll == 3) {
                        throw new AssertionError(service + " runs on " + on + ", not on " + first + " and " + second
                                + " after " + roll + " rolls");
                    }
                    System.out.printf("  %s runs on %s after roll %d: rolling again%n", service, on, roll);
                }
            }
        } finally {
            paused.forEach(n -> availability(n, "active"));
        }
    }

    // ---- Redis, through its Sentinels -----------------------------------------------

    /**
     * redis-cli in a member or Sentinel task, logged in with the task's own secret (members as
     * gate, Sentinels as default); the password travels in REDISCLI_AUTH, not on a command line.
     */
    Shell.Result redisCli(Task task, String... arguments) {
        String user = task.service().contains("sentinel") ? "" : "--user gate ";
        return exec(task, "sh", "-c", "REDISCLI_AUTH=$(cat /run/secrets/redis_password) exec redis-cli " + user
                + String.join(" ", arguments));
    }

    /** The member (redis1 or redis2) the Sentinels name as primary now. */
    String redisPrimary() {
        for (String sentinel : List.of("sentinel1", "sentinel2", "sentinel3")) {
            Optional<Task> task = container(sentinel);
            if (task.isEmpty()) {
                continue;
            }
            Shell.Result answer = redisCli(task.get(), "-p", "26379", "--raw", "SENTINEL", "get-master-addr-by-name", "casswarm");
            String primary = answer.output().lines().findFirst().orElse("").strip();
            if (answer.ok() && primary.matches("redis[12]")) {
                return primary;
            }
        }
        throw new AssertionError("no Sentinel names a primary");
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

    /**
     * A request to a URL inside one container, with a given request id; inside a storage task
     * with the storage credential, as gate sends it (storage answers no one else).
     */
    Answer dockerExecCurl(Task container, String method, String url, String requestId) {
        List<String> headers = new ArrayList<>(List.of("X-Request-Id: " + requestId));
        if (container.service().endsWith("storage")) {
            headers.add(storageAuthorization(container));
        }
        return curlIn(container, method, url, null, headers.toArray(String[]::new));
    }

    /** A request to storage's internal API from inside a storage task, as gate would send it. */
    Answer storage(String method, String path, String jsonBody) {
        Task storage = requireContainer("storage");
        return storageCall(storage, storageAuthorization(storage), method, path, jsonBody);
    }

    /** A request to storage's internal API from inside a storage task, presenting the given token. */
    Answer storageAs(String token, String method, String path) {
        return storageCall(requireContainer("storage"), bearer(token), method, path, null);
    }

    private Answer storageCall(Task storage, String authorization, String method, String path, String jsonBody) {
        return curlIn(storage, method, "http://127.0.0.1:8081" + path, jsonBody, "Accept: application/json", authorization);
    }

    /** The header storage requires, from the task's own copy of the storage_token secret. */
    private String storageAuthorization(Task storage) {
        return bearer(exec(storage, "cat", "/run/secrets/storage_token").orFail("read storage's token").output().strip());
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    /** curl run inside a container; status, content type and Retry-After come from -w. */
    private Answer curlIn(Task container, String method, String url, String jsonBody, String... headers) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "20",
                "-X", method, "-w", "\n%{http_code}|%{content_type}|%header{retry-after}"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (jsonBody != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", jsonBody));
        }
        command.add(url);
        Shell.Result result = exec(container, command.toArray(String[]::new));
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
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "20", "-X", method,
                "-H", "Content-Type: application/json"));
        if (jsonBody != null) {
            command.addAll(List.of("--data-binary", jsonBody));
        }
        command.add("http://127.0.0.1:9200" + path);
        String out = exec(requireContainer("elasticsearch"), command.toArray(String[]::new))
                .orFail("curl elasticsearch " + path).output();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("Elasticsearch answered no JSON to " + path + ": " + out, e);
        }
    }

    // ---- the public edge --------------------------------------------------------------

    /** HTTPS base URLs of edge: one per node labelled edge (127.0.0.1 on a single machine). */
    List<URI> edgeUrls() {
        if (!simulated()) {
            return List.of(URI.create("https://127.0.0.1:" + EDGE_PORT));
        }
        return nodesWithLabel("edge").stream().map(this::edgeUrlOn).toList();
    }

    /** edge's HTTPS base URL on one node. */
    URI edgeUrlOn(String node) {
        return URI.create("https://" + nodeAddress(node) + ":" + EDGE_PORT);
    }

    /** A client of edge that moves on to the next edge when one does not answer, as DNS round robin clients do. */
    Edge edge() {
        return new Edge(edgeUrls(), ClusterCa.sslContext(root));
    }

    /** gate's /health (management port) from every running gate task: edge may send a request to any. */
    List<JsonNode> gatesHealth() {
        return containers("gate").stream().map(this::gateHealth).toList();
    }

    /**
     * gate's own /health with its details (Redis, storage, the ring), from its management port
     * inside a gate container: edge answers only a bare status on the public port.
     */
    JsonNode gateHealth(Task gate) {
        String out = gateManagement(gate, "/health")
                .orFail("curl gate's /health on its management port").output();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("gate's /health answered no JSON: " + out, e);
        }
    }

    /** Some gate runs, and each sees the whole chain up ({@link #wholeChainUp}). */
    static boolean wholeChainUpFromEveryGate(List<JsonNode> healths) {
        return !healths.isEmpty() && healths.stream().allMatch(Cluster::wholeChainUp);
    }

    /** UP overall, Redis UP, and every storage instance UP with its driver seeing 3 nodes up. */
    static boolean wholeChainUp(JsonNode health) {
        JsonNode details = health.path("details");
        JsonNode storages = details.path("storage").path("details");
        if (!"UP".equals(health.path("status").asText()) || !"UP".equals(details.path("redis").path("status").asText())
                || storages.size() < 2) {
            return false;
        }
        for (JsonNode instance : storages) {
            JsonNode cassandra = instance.path("details").path("cassandra");
            if (!"UP".equals(cassandra.path("status").asText()) || cassandra.path("details").path("nodesUp").asInt() != 3) {
                return false;
            }
        }
        return true;
    }

    HttpResponse<String> edgeGet(String path) {
        try {
            return http().send(HttpRequest.newBuilder(edgeUrls().get(0).resolve(path))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String adminPassword() {
        return secret("admin_password");
    }

    /** A secret as infra/cluster made it, from this checkout's infra/.secrets/. */
    String secret(String file) {
        try {
            return Files.readString(root.resolve("infra/.secrets").resolve(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- waiting and reporting ------------------------------------------------------

    /**
     * Polls every 2 s until the condition holds and prints how long it took; after the timeout,
     * an AssertionError whose cause holds the last failed observation. A condition that throws
     * (a probe that failed) is polled again: while a cluster recovers, its probes fail.
     */
    static Duration waitFor(String what, Duration timeout, Supplier<Boolean> condition) {
        long start = System.nanoTime();
        try {
            Awaitility.await(what).atMost(timeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).pollInSameThread()
                    .ignoreExceptionsMatching(e -> true)
                    .until(() -> Boolean.TRUE.equals(condition.get()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for: " + what, e.getCause());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("  ok after %d s: %s%n", took.toSeconds(), what);
        return took;
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

    static String[] prefixed(List<String> prefix, String... args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
