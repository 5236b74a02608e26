package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.github.dockerjava.api.DockerClient;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.CassandraExtension;
import io.casswarm.storage.testing.CassandraExtension.CassandraNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring's authentication as an outsider and as storage meet it (the image's roles set-up, run
 * by the test node's entrypoint as in the stack): no login without credentials, none with the
 * default superuser; storage, logged in as its role, serves documents on its keyspace, and that
 * role can read no roles, make no keyspace, read no other keyspace and grant nothing.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraRolesTest {

    private EmbeddedServer storage;
    private CqlSession asStorage;

    @BeforeAll
    void start() {
        Path storagePassword = Path.of(System.getProperty(CassandraExtension.STORAGE_PASSWORD_FILE_PROPERTY));
        storage = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "casswarm.cassandra.username", CassandraNode.STORAGE,
                "casswarm.cassandra.password-file", storagePassword.toString(),
                "casswarm.cassandra.keyspace", CassandraNode.STORAGE_KEYSPACE,
                "casswarm.cassandra.replication-factor", 1));
        asStorage = session(CassandraNode.STORAGE, CassandraNode.password(storagePassword));
    }

    @AfterAll
    void stop() {
        if (asStorage != null) {
            asStorage.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void storageLoggedInAsItsRoleMigratesAndServesDocuments() {
        Api api = new Api(storage.getURI());
        String docs = "/internal/v1/tenants/r" + UUID.randomUUID().toString().substring(0, 8) + "/collections/c/documents";
        assertEquals(201, api.post(docs, Map.of("id", "d1", "body", Map.of("n", 1))).status());
        Api.Reply read = api.get(docs + "/d1");
        assertEquals(200, read.status());
        assertEquals(1, read.json().path("body").path("n").asInt(), read.json().toString());
        assertTrue(asStorage.getMetadata().getKeyspace(CassandraNode.STORAGE_KEYSPACE)
                .flatMap(ks -> ks.getTable("documents_v2")).isPresent(), "storage's migration made its tables");
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        assertAuthenticationRefused(() -> CqlSession.builder().addContactPoint(contactPoint())
                .withLocalDatacenter("datacenter1").build());
    }

    @Test
    void theDefaultSuperuserIsGone() {
        assertAuthenticationRefused(() -> session("cassandra", "cassandra"));
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertAuthenticationRefused(() -> session(CassandraNode.STORAGE, "not-the-password"));
    }

    @Test
    void theStorageRoleReadsNoRolesMakesNoKeyspaceAndGrantsNothing() {
        assertThrows(UnauthorizedException.class, () -> asStorage.execute("SELECT role, salted_hash FROM system_auth.roles"));
        assertThrows(UnauthorizedException.class, () -> asStorage.execute(
                "CREATE KEYSPACE IF NOT EXISTS not_storages WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        assertThrows(UnauthorizedException.class, () -> asStorage.execute(
                "GRANT SELECT ON ALL KEYSPACES TO " + CassandraNode.STORAGE));
        assertThrows(UnauthorizedException.class, () -> asStorage.execute(
                "CREATE ROLE intruder WITH LOGIN = true AND PASSWORD = 'x'"));
    }

    @Test
    void theStorageRoleCannotReadAnotherKeyspace() {
        String other = "other_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        try (CqlSession admin = session(CassandraNode.ADMIN, CassandraNode.password(
                Path.of(System.getProperty("casswarm.cassandra.password-file"))))) {
            admin.execute("CREATE KEYSPACE " + other + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            admin.execute("CREATE TABLE " + other + ".secrets (id text PRIMARY KEY, value text)");
        }
        assertThrows(UnauthorizedException.class, () -> asStorage.execute("SELECT * FROM " + other + ".secrets"));
        assertThrows(UnauthorizedException.class, () -> asStorage.execute("DROP KEYSPACE " + other));
    }

    /** The seed runs the set-up on every start: a second run changes nothing and storage still logs in. */
    @Test
    void theRolesSetUpRunAgainSucceedsAndKeepsTheRoles() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String container = System.getProperty(CassandraExtension.CONTAINER_ID_PROPERTY);
        ExecResult again = ExecInContainerPattern.execInContainer(docker,
                docker.inspectContainerCmd(container).exec(),
                "bash", "-c", "CASSANDRA_CQL_HOST=$(hostname -i | cut -d' ' -f1) java -Xmx64m"
                        + " -Dlogback.configurationFile=/etc/cassandra/logback-tools.xml"
                        + " -cp '/opt/cassandra/tools/cassandra-roles-setup.jar:/opt/cassandra/lib/*' CassandraRolesSetup");
        assertEquals(0, again.getExitCode(), again.getStdout() + again.getStderr());
        assertTrue(again.getStdout().contains("cassandra-roles-setup: done"), again.getStdout());
        try (CqlSession fresh = session(CassandraNode.STORAGE, CassandraNode.password(
                Path.of(System.getProperty(CassandraExtension.STORAGE_PASSWORD_FILE_PROPERTY))))) {
            assertEquals(1, fresh.execute("SELECT count(*) FROM system.local").one().getLong(0));
        }
        assertAuthenticationRefused(() -> session("cassandra", "cassandra"));
    }

    private static void assertAuthenticationRefused(org.junit.jupiter.api.function.Executable connect) {
        AllNodesFailedException failed = assertThrows(AllNodesFailedException.class, connect);
        assertTrue(failed.getAllErrors().values().stream().flatMap(java.util.List::stream)
                        .anyMatch(AuthenticationException.class::isInstance),
                "refused for its credentials: " + failed.getAllErrors());
    }

    private static CqlSession session(String user, String password) {
        return CqlSession.builder().addContactPoint(contactPoint()).withLocalDatacenter("datacenter1")
                .withAuthCredentials(user, password).build();
    }

    private static InetSocketAddress contactPoint() {
        String node = System.getProperty("casswarm.cassandra.contact-points");
        int colon = node.lastIndexOf(':');
        return new InetSocketAddress(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
    }
}
