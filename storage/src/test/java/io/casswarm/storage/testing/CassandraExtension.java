package io.casswarm.storage.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.BindMode;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

/**
 * One real single-node Cassandra (the locally built casswarm/cassandra:5.0 image) for the
 * whole test run: started by the first test class that needs it, kept in JUnit's root store,
 * and stopped when the run ends (no Ryuk here, so the store's close does the cleanup). Its
 * address reaches Micronaut as system properties, read when each test's context starts;
 * register this extension before {@code @MicronautTest}.
 *
 * <p>Authentication is on, as in the stack: the image's roles set-up replaces
 * {@code cassandra/cassandra} by the superuser {@code admin} and the role {@code storage}, whose
 * rights cover the keyspace {@link CassandraNode#STORAGE_KEYSPACE} only. The other tests make
 * keyspaces of their own (one per test), so they log in as {@code admin}; what the storage role
 * may and may not do is CassandraRolesTest's subject.
 */
public final class CassandraExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        CassandraNode node = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(CassandraNode.class, type -> CassandraNode.start(), CassandraNode.class);
        System.setProperty("casswarm.cassandra.contact-points", node.contactPoint());
        System.setProperty("casswarm.cassandra.local-datacenter", CassandraNode.DATACENTER);
        System.setProperty("casswarm.cassandra.username", CassandraNode.ADMIN);
        System.setProperty("casswarm.cassandra.password-file", node.adminPasswordFile().toString());
        // For CassandraRolesTest: the storage role's password, and the container to exec in.
        System.setProperty(STORAGE_PASSWORD_FILE_PROPERTY, node.storagePasswordFile().toString());
        System.setProperty(CONTAINER_ID_PROPERTY, node.container.getContainerId());
    }

    public static final String STORAGE_PASSWORD_FILE_PROPERTY = "casswarm.test.cassandra.storage-password-file";
    public static final String CONTAINER_ID_PROPERTY = "casswarm.test.cassandra.container-id";

    /** Handle on the running container; closing it stops the container. */
    public static final class CassandraNode implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static final String DATACENTER = "datacenter1";
        /** The tag is shared by every worktree on the machine: a branch may test its own (-D). */
        static final String IMAGE = System.getProperty("casswarm.test.cassandra-image", "casswarm/cassandra:5.0");
        public static final String ADMIN = "admin";
        public static final String STORAGE = "storage";
        /** The keyspace the roles set-up creates and grants to the storage role. */
        public static final String STORAGE_KEYSPACE = "casswarm_roles";

        private final CassandraContainer container;
        private final Path adminPasswordFile;
        private final Path storagePasswordFile;

        private CassandraNode(CassandraContainer container, Path adminPasswordFile, Path storagePasswordFile) {
            this.container = container;
            this.adminPasswordFile = adminPasswordFile;
            this.storagePasswordFile = storagePasswordFile;
        }

        static CassandraNode start() {
            // Fail at once with what to do, instead of Testcontainers trying to pull for minutes.
            try {
                DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            } catch (NotFoundException e) {
                throw new IllegalStateException("Docker image " + IMAGE + " is missing: build it with "
                        + "`infra/images/build --only cassandra` (no registry can be reached here)", e);
            }
            String adminPassword = "admin-" + UUID.randomUUID();
            String storagePassword = "storage-" + UUID.randomUUID();
            Path adminFile = secretFile("admin", adminPassword);
            Path storageFile = secretFile("storage", storagePassword);
            CassandraContainer container = new CassandraContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("cassandra"))
                    .withEnv("MAX_HEAP_SIZE", "512M")
                    .withEnv("HEAP_NEWSIZE", "128M")
                    .withEnv("CASSANDRA_DC", DATACENTER)
                    .withEnv("CASSANDRA_NUM_TOKENS", "1")
                    // superuser_setup_delay_ms: cassandra/cassandra at once, not after 10 s.
                    .withEnv("JVM_EXTRA_OPTS", "-Dcassandra.skip_wait_for_gossip_to_settle=0"
                            + " -Dcassandra.ring_delay_ms=1000 -Dcassandra.initial_token=0"
                            + " -Dcassandra.superuser_setup_delay_ms=0")
                    // Bound read-only, as swarm mounts a secret (Testcontainers' copy needs a
                    // commons-codec this classpath does not have).
                    .withFileSystemBind(adminFile.toString(), "/run/secrets/cassandra_admin_password", BindMode.READ_ONLY)
                    .withFileSystemBind(storageFile.toString(), "/run/secrets/cassandra_storage_password", BindMode.READ_ONLY)
                    .withEnv("CASSANDRA_ADMIN_PASSWORD_FILE", "/run/secrets/cassandra_admin_password")
                    .withEnv("CASSANDRA_STORAGE_PASSWORD_FILE", "/run/secrets/cassandra_storage_password")
                    .withEnv("CASSANDRA_STORAGE_KEYSPACE", STORAGE_KEYSPACE)
                    .withEnv("CASSANDRA_REPLICATION_FACTOR", "1")
                    // The image has no cqlsh, which the module's own wait strategy runs. Ready
                    // once the roles set-up has replaced cassandra/cassandra.
                    .waitingFor(Wait.forLogMessage(".*cassandra-roles-setup: done.*", 1)
                            .withStartupTimeout(Duration.ofMinutes(3)));
            container.start();
            return new CassandraNode(container, adminFile, storageFile);
        }

        private static Path secretFile(String name, String password) {
            try {
                Path file = Files.createTempFile("cassandra-" + name, ".secret");
                file.toFile().deleteOnExit();
                Files.writeString(file, password + "\n");
                // Readable by the container's user cassandra (uid 999), like a swarm secret.
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The superuser's password file (host side). */
        public Path adminPasswordFile() {
            return adminPasswordFile;
        }

        /** The storage role's password file (host side). */
        public Path storagePasswordFile() {
            return storagePasswordFile;
        }

        /** The password in a file written by this class. */
        public static String password(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String contactPoint() {
            return container.getHost() + ":" + container.getMappedPort(9042);
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
