package io.casswarm.gate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.BindMode;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * instances behind one name list. storage checks the storage credential as on the swarm: both
 * sides read the same token file (not the development token). Ryuk is off here: containers and processes are stopped by a
 * shutdown hook.
 *
 * <p>Authentication is on, as in the stack: Redis runs the stack's own member script
 * (infra/redis/redis-member: ACL users, default off) with {@link #REDIS_PASSWORD}, and the
 * Cassandra node's roles set-up gives storage the role {@code storage} on keyspace gate_test.
 */
public final class TestStack {

    public static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    public static final String REDIS_PASSWORD = "redis-" + UUID.randomUUID();
    private static final String CASSANDRA_ADMIN_PASSWORD = "cassandra-admin-" + UUID.randomUUID();
    private static final String CASSANDRA_STORAGE_PASSWORD = "cassandra-storage-" + UUID.randomUUID();

    /** The tag is shared by every worktree on the machine: a branch may test its own (-D). */
    private static final String CASSANDRA_IMAGE = System.getProperty("casswarm.test.cassandra-image", "casswarm/cassandra:5.0");

    private static TestStack instance;

    private final GenericContainer<?> redis;
    private final GenericContainer<?> cassandra;
    private final Path storageJar;
    private final int storagePort;
    private final int storageManagementPort;
    private final Path adminPasswordFile;
    private final Path storageTokenFile;
    private final Path redisPasswordFile;
    private final Path cassandraPasswordFile;
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
        redis = redisMember();
        cassandra = new GenericContainer<>(DockerImageName.parse(CASSANDRA_IMAGE))
                .withExposedPorts(9042)
                .withEnv("MAX_HEAP_SIZE", "512M")
                .withEnv("HEAP_NEWSIZE", "128M")
                .withEnv("JVM_EXTRA_OPTS",
                        "-Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=1000"
                                + " -Dcassandra.superuser_setup_delay_ms=0")
                .withFileSystemBind(secretFile("cassandra-admin", CASSANDRA_ADMIN_PASSWORD).toString(),
                        "/run/secrets/cassandra_admin_password", BindMode.READ_ONLY)
                .withFileSystemBind(secretFile("cassandra-storage", CASSANDRA_STORAGE_PASSWORD).toString(),
                        "/run/secrets/cassandra_storage_password", BindMode.READ_ONLY)
                .withEnv("CASSANDRA_ADMIN_PASSWORD_FILE", "/run/secrets/cassandra_admin_password")
                .withEnv("CASSANDRA_STORAGE_PASSWORD_FILE", "/run/secrets/cassandra_storage_password")
                .withEnv("CASSANDRA_STORAGE_KEYSPACE", "gate_test")
                // Ready once the roles set-up has made storage's role (and dropped cassandra/cassandra).
                .waitingFor(Wait.forLogMessage(".*cassandra-roles-setup: done.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(4)));
        storageJar = locateStorageJar();
        storagePort = freePort();
        storageManagementPort = freePort();
        try {
            storageTokenFile = Files.createTempFile("gate-test-storage-token", ".secret");
            Files.writeString(storageTokenFile, "token-" + UUID.randomUUID() + "\n");
            adminPasswordFile = Files.createTempFile("gate-test-admin", ".secret");
            Files.writeString(adminPasswordFile, ADMIN_PASSWORD + "\n");
            redisPasswordFile = secretFile("redis", REDIS_PASSWORD);
            cassandraPasswordFile = secretFile("cassandra-storage", CASSANDRA_STORAGE_PASSWORD);
            logs = Files.createTempDirectory("gate-test-storage-logs");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Redis member as the stack runs it: infra/redis/redis-member with the password secret. No
     * Sentinel answers here, so it starts as the primary.
     */
    public static GenericContainer<?> redisMember() {
        return new GenericContainer<>(DockerImageName.parse("casswarm/redis:7"))
                // Bound read-only, as swarm mounts a config and a secret (Testcontainers' copy
                // needs a commons-codec this classpath does not have).
                .withFileSystemBind(locate("infra/redis/redis-member"), "/usr/local/bin/redis-member", BindMode.READ_ONLY)
                .withFileSystemBind(secretFile("redis", REDIS_PASSWORD).toString(), "/run/secrets/redis_password",
                        BindMode.READ_ONLY)
                .withCreateContainerCmdModifier(command -> command.withEntrypoint("/usr/local/bin/redis-member"))
                .withEnv("REDIS_MEMBER_NAME", "redis1")
                .withEnv("REDIS_FIRST_PRIMARY", "redis1")
                .withEnv("REDIS_SENTINELS", "127.0.0.1:26379")
                .withEnv("REDIS_PASSWORD_FILE", "/run/secrets/redis_password")
                .withExposedPorts(6379)
                .waitingFor(Wait.forListeningPort())
                .withStartupTimeout(Duration.ofSeconds(60));
    }

    /** The Redis password file (host side), for gate's casswarm.redis.password-file. */
    public Path redisPasswordFile() {
        return redisPasswordFile;
    }

    /** A file readable by the containers' users (cassandra, redis), like a swarm secret. */
    private static Path secretFile(String name, String password) {
        try {
            Path file = Files.createTempFile("gate-test-" + name, ".secret");
            file.toFile().deleteOnExit();
            Files.writeString(file, password + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start() {
        for (String image : new String[]{"casswarm/redis:7", CASSANDRA_IMAGE}) {
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
        properties.put("casswarm.storage-credential.token-file", storageTokenFile.toString());
        // Each gate its own management port (health, prometheus), never its API port.
        properties.put("endpoints.all.port", freePort());
        properties.put("casswarm.admin.password-file", adminPasswordFile.toString());
        properties.put("casswarm.redis.password-file", redisPasswordFile.toString());
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

    /** The token file storage and gate read the storage credential from. */
    public Path storageTokenFile() {
        return storageTokenFile;
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
        env.put("CASSWARM_STORAGE_CREDENTIAL_TOKEN_FILE", storageTokenFile.toString());
        env.put("CASSWARM_CASSANDRA_CONTACT_POINTS", cassandra.getHost() + ":" + cassandra.getMappedPort(9042));
        env.put("CASSWARM_CASSANDRA_LOCAL_DATACENTER", "datacenter1");
        env.put("CASSWARM_CASSANDRA_REPLICATION_FACTOR", "1");
        env.put("CASSWARM_CASSANDRA_KEYSPACE", "gate_test");
        env.put("CASSWARM_CASSANDRA_USERNAME", "storage");
        env.put("CASSWARM_CASSANDRA_PASSWORD_FILE", cassandraPasswordFile.toString());
        try {
            Process process = builder.start();
            storages.add(process);
            storageByHost.put(host, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start storage from " + storageJar, e);
        }
    }

    private void awaitStorage(String host) {
        URI health = URI.create("http://" + host + ":" + storageManagementPort + "/health/readiness");
        Path log = logs.resolve("storage-" + host + ".log");
        try {
            Awaitility.await("storage on " + host + " ready").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        Process process = storageByHost.get(host);
                        if (process == null || !process.isAlive()) {
                            throw new IllegalStateException("storage on " + host + " exited; see " + log);
                        }
                        HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
                        connection.setConnectTimeout(1000);
                        connection.setReadTimeout(5000);
                        return connection.getResponseCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("storage on " + host + " not healthy within 3 minutes; see " + log, e);
        }
    }

    private void stop() {
        for (Process process : storages) {
            process.destroyForcibly();
        }
        cassandra.stop();
        redis.stop();
    }

    /** A file of the repository, from the module's folder or the repository root. */
    static String locate(String path) {
        for (Path candidate : List.of(Path.of("..").resolve(path), Path.of(path))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize().toString();
            }
        }
        throw new IllegalStateException(path + " not found from " + Path.of("").toAbsolutePath());
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
