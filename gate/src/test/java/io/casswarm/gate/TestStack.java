package io.casswarm.gate;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real parts gate's tests run against, started once per test JVM and stopped at its end:
 * Redis ({@code casswarm/redis:7}) and a one-node Cassandra ({@code casswarm/cassandra:5.0}) in
 * containers, and two storage processes from {@code storage/target/storage.jar} (built by
 * {@code mvn -pl gate -am}), on 127.0.0.1 and 127.0.0.2 with the same port, so gate sees two
 * instances behind one name list. Ryuk is off here: containers and processes are stopped by a
 * shutdown hook.
 */
public final class TestStack {

    public static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

    private static TestStack instance;

    private final GenericContainer<?> redis;
    private final GenericContainer<?> cassandra;
    private final Path storageJar;
    private final int storagePort;
    private final int storageManagementPort;
    private final Path adminPasswordFile;
    private final Path logs;
    private final List<Process> storages = new ArrayList<>(List.of());
    private final Map<String, Process> storageByHost = new HashMap<>();

    public static synchronized TestStack get() {
        if (instance == null) {
            instance = new TestStack();
            instance.start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-stack-stop"));
        }
        return instance;
    }

    private TestStack() {
        redis = new GenericContainer<>(DockerImageName.parse("casswarm/redis:7"))
                .withExposedPorts(6379)
                .waitingFor(Wait.forListeningPort())
                .withStartupTimeout(Duration.ofSeconds(60));
        cassandra = new GenericContainer<>(DockerImageName.parse("casswarm/cassandra:5.0"))
                .withExposedPorts(9042)
                .withEnv("MAX_HEAP_SIZE", "512M")
                .withEnv("HEAP_NEWSIZE", "128M")
                .withEnv("JVM_EXTRA_OPTS",
                        "-Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=1000")
                .waitingFor(Wait.forLogMessage(".*Startup complete.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(4)));
        storageJar = locateStorageJar();
        storagePort = freePort();
        storageManagementPort = freePort();
        try {
            adminPasswordFile = Files.createTempFile("gate-test-admin", ".secret");
            Files.writeString(adminPasswordFile, ADMIN_PASSWORD + "\n");
            logs = Files.createTempDirectory("gate-test-storage-logs");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start() {
        for (String image : new String[]{"casswarm/redis:7", "casswarm/cassandra:5.0"}) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (RuntimeException e) {
                throw new IllegalStateException("Docker image " + image + " is missing (no registry here): "
                        + "build it with infra/images/build first", e);
            }
        }
        redis.start();
        cassandra.start();
        startStorage("127.0.0.1");
        startStorage("127.0.0.2");
        awaitStorage("127.0.0.1");
        awaitStorage("127.0.0.2");
    }

    /** Properties of a gate using this stack. */
    public Map<String, Object> gateProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("redis.uri", "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
        properties.put("casswarm.storage.host", "127.0.0.1,127.0.0.2");
        properties.put("casswarm.storage.port", storagePort);
        properties.put("casswarm.storage.management-port", storageManagementPort);
        // Each gate its own management port (health, prometheus), never its API port.
        properties.put("endpoints.all.port", freePort());
        properties.put("casswarm.admin.password-file", adminPasswordFile.toString());
        properties.put("casswarm.auth.bcrypt-cost", 4);
        // Every test class logs in from 127.0.0.1, some with wrong passwords on purpose: the
        // per-address login limit is LoginAttackTest's to check, not to trip the others.
        properties.put("casswarm.login.per-address", 100000);
        return properties;
    }

    /** The port both storage processes listen on (on 127.0.0.1 and 127.0.0.2). */
    public int storagePort() {
        return storagePort;
    }

    public GenericContainer<?> redis() {
        return redis;
    }

    /** Kills the storage process on that loopback address at once (SIGKILL). */
    public synchronized void killStorage(String host) {
        Process process = storageByHost.remove(host);
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the storage process on that loopback address again and waits until it is healthy. */
    public synchronized void restartStorage(String host) {
        killStorage(host);
        startStorage(host);
        awaitStorage(host);
    }

    private synchronized void startStorage(String host) {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", storageJar.toString())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("storage-" + host + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("MICRONAUT_SERVER_HOST", host);
        env.put("MICRONAUT_SERVER_PORT", String.valueOf(storagePort));
        env.put("ENDPOINTS_ALL_PORT", String.valueOf(storageManagementPort));
        env.put("CASSWARM_CASSANDRA_CONTACT_POINTS", cassandra.getHost() + ":" + cassandra.getMappedPort(9042));
        env.put("CASSWARM_CASSANDRA_LOCAL_DATACENTER", "datacenter1");
        env.put("CASSWARM_CASSANDRA_REPLICATION_FACTOR", "1");
        env.put("CASSWARM_CASSANDRA_KEYSPACE", "gate_test");
        try {
            Process process = builder.start();
            storages.add(process);
            storageByHost.put(host, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start storage from " + storageJar, e);
        }
    }

    private void awaitStorage(String host) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        URI health = URI.create("http://" + host + ":" + storageManagementPort + "/health/readiness");
        while (System.nanoTime() < deadline) {
            Process process = storageByHost.get(host);
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("storage on " + host + " exited; see "
                        + logs.resolve("storage-" + host + ".log"));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(5000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("storage on " + host + " not healthy within 3 minutes; see "
                + logs.resolve("storage-" + host + ".log"));
    }

    private void stop() {
        for (Process process : storages) {
            process.destroyForcibly();
        }
        cassandra.stop();
        redis.stop();
    }

    private static Path locateStorageJar() {
        for (Path candidate : List.of(Path.of("../storage/target/storage.jar"), Path.of("storage/target/storage.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("storage/target/storage.jar is missing: run `mvn -pl gate -am verify` "
                + "from the repository root, which builds storage first");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
