import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.ProtocolVersion;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.exceptions.AuthenticationException;
import com.datastax.driver.core.exceptions.DriverException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Replaces a new ring's default superuser {@code cassandra/cassandra} by casswarm's roles, run by
 * cassandra-entrypoint on the seed once its CQL port answers (the image has no cqlsh: no Python).
 * Uses the Java driver 3 that Cassandra's own tools ship in its lib folder.
 *
 * <p>Idempotent, so it runs on every start of the seed:
 * <ol>
 *   <li>Log in as the administrator (password file). On a new ring that fails: log in as
 *       {@code cassandra/cassandra} (created by Cassandra about 10 s after the first start),
 *       replicate {@code system_auth} to the ring's replication factor and create the
 *       administrator superuser at once.</li>
 *   <li>As the administrator: storage's keyspace (IF NOT EXISTS), the role {@code storage}
 *       (LOGIN, password from its file, set again on every run: a rotated file takes effect on the
 *       next start of the seed), its permissions on that keyspace only, and {@code cassandra}
 *       dropped.</li>
 * </ol>
 * Waits until as many nodes of the local datacenter are up as the replication factor: role
 * writes are EACH_QUORUM, and the keyspaces must not be replicated to nodes that cannot take it.
 *
 * <p>Environment: CASSANDRA_CQL_HOST, CASSANDRA_ADMIN_USER (admin), CASSANDRA_ADMIN_PASSWORD_FILE,
 * CASSANDRA_STORAGE_USER (storage), CASSANDRA_STORAGE_PASSWORD_FILE, CASSANDRA_STORAGE_KEYSPACE
 * (casswarm), CASSANDRA_REPLICATION_FACTOR (1), CASSANDRA_ROLES_SETUP_SECONDS (900).
 */
public final class CassandraRolesSetup {

    private static final String DEFAULT_SUPERUSER = "cassandra";

    private final String host;
    private final String adminUser;
    private final String adminPassword;
    private final String storageUser;
    private final String storagePassword;
    private final String keyspace;
    private final int replicationFactor;
    private final Instant deadline;

    private CassandraRolesSetup() throws IOException {
        host = env("CASSANDRA_CQL_HOST", "127.0.0.1");
        adminUser = name(env("CASSANDRA_ADMIN_USER", "admin"));
        adminPassword = secret("CASSANDRA_ADMIN_PASSWORD_FILE");
        storageUser = name(env("CASSANDRA_STORAGE_USER", "storage"));
        storagePassword = secret("CASSANDRA_STORAGE_PASSWORD_FILE");
        keyspace = name(env("CASSANDRA_STORAGE_KEYSPACE", "casswarm"));
        replicationFactor = Integer.parseInt(env("CASSANDRA_REPLICATION_FACTOR", "1"));
        deadline = Instant.now().plusSeconds(Long.parseLong(env("CASSANDRA_ROLES_SETUP_SECONDS", "900")));
        if (adminUser.equals(DEFAULT_SUPERUSER) || storageUser.equals(DEFAULT_SUPERUSER)) {
            throw new IllegalArgumentException("the role '" + DEFAULT_SUPERUSER + "' is the one being replaced");
        }
    }

    public static void main(String[] args) {
        try {
            new CassandraRolesSetup().run();
            log("done: superuser '" + env("CASSANDRA_ADMIN_USER", "admin") + "', role '"
                    + env("CASSANDRA_STORAGE_USER", "storage") + "' on keyspace "
                    + env("CASSANDRA_STORAGE_KEYSPACE", "casswarm") + ", no role 'cassandra'");
        } catch (Exception e) {
            log("FAILED: " + e + " (the ring keeps running; fix the cause and restart this node to retry)");
            System.exit(1);
        }
    }

    private void run() throws InterruptedException {
        while (true) {
            try (Cluster admin = cluster(adminUser, adminPassword)) {
                Session session = admin.connect();
                log("logged in as '" + adminUser + "'");
                awaitNodes(admin);
                ensureRoles(session);
                return;
            } catch (AuthenticationException e) {
                if (replaceDefaultSuperuser()) {
                    continue;
                }
                retryOrFail("neither '" + adminUser + "' (its password file) nor '" + DEFAULT_SUPERUSER
                        + "' can log in (" + e.getMessage() + "); if the administrator's password was changed"
                        + " in the ring, put it in CASSANDRA_ADMIN_PASSWORD_FILE");
            } catch (DriverException e) {
                retryOrFail("the ring is not ready or a statement failed: " + e.getMessage());
            }
        }
    }

    /** False when the default superuser cannot log in (not created yet, or already dropped). */
    private boolean replaceDefaultSuperuser() {
        try (Cluster initial = cluster(DEFAULT_SUPERUSER, DEFAULT_SUPERUSER)) {
            Session session = initial.connect();
            log("logged in as the default superuser '" + DEFAULT_SUPERUSER + "': a new ring");
            String dc = awaitNodes(initial);
            // Before the new role is written, so it lands on every replica (the default role,
            // written at replication factor 1, is dropped afterwards and never read again).
            session.execute("ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '"
                    + dc + "': " + replicationFactor + "}");
            session.execute("CREATE ROLE IF NOT EXISTS " + adminUser + " WITH SUPERUSER = true AND LOGIN = true"
                    + " AND PASSWORD = " + literal(adminPassword));
            log("created the superuser '" + adminUser + "'; system_auth replicated " + dc + ": " + replicationFactor);
            return true;
        } catch (AuthenticationException e) {
            return false;
        }
    }

    private void ensureRoles(Session session) {
        String dc = session.execute("SELECT data_center FROM system.local").one().getString(0);
        session.execute("ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '"
                + dc + "': " + replicationFactor + "}");
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': "
                + "'NetworkTopologyStrategy', '" + dc + "': " + replicationFactor + "}");
        // ALTER for an existing role only: Cassandra refuses a second password change within 5 s.
        boolean exists = session.execute("SELECT role FROM system_auth.roles WHERE role = ?", storageUser).one() != null;
        if (exists) {
            session.execute("ALTER ROLE " + storageUser + " WITH LOGIN = true AND SUPERUSER = false AND PASSWORD = "
                    + literal(storagePassword));
        } else {
            session.execute("CREATE ROLE IF NOT EXISTS " + storageUser + " WITH LOGIN = true AND PASSWORD = "
                    + literal(storagePassword));
        }
        // What storage's schema migration and repository need, on its keyspace only: tables, types
        // and indexes (CREATE, ALTER, DROP), reads and writes. Not AUTHORIZE, nothing elsewhere.
        for (String permission : new String[]{"CREATE", "ALTER", "DROP", "SELECT", "MODIFY"}) {
            session.execute("GRANT " + permission + " ON KEYSPACE " + keyspace + " TO " + storageUser);
        }
        session.execute("DROP ROLE IF EXISTS " + DEFAULT_SUPERUSER);
    }

    /** The local datacenter, once as many of its nodes are up as the replication factor. */
    private String awaitNodes(Cluster cluster) {
        String dc = cluster.connect().execute("SELECT data_center FROM system.local").one().getString(0);
        Instant nextLog = Instant.EPOCH;
        while (true) {
            long up = cluster.getMetadata().getAllHosts().stream()
                    .filter(h -> h.isUp() && dc.equals(h.getDatacenter())).count();
            if (up >= replicationFactor) {
                return dc;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(up + " of " + replicationFactor + " nodes of " + dc + " up");
            }
            if (Instant.now().isAfter(nextLog)) {
                log("waiting for " + replicationFactor + " nodes of " + dc + " to be up (" + up + " now)");
                nextLog = Instant.now().plusSeconds(30);
            }
            pause(Duration.ofSeconds(2));
        }
    }

    private void retryOrFail(String why) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(why);
        }
        log(why + "; trying again in 5 s");
        pause(Duration.ofSeconds(5));
    }

    private Cluster cluster(String user, String password) {
        return Cluster.builder()
                .addContactPoint(host)
                .withProtocolVersion(ProtocolVersion.V4)
                .withCredentials(user, password)
                .withoutJMXReporting()
                .withoutMetrics()
                .build();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String name(String text) {
        if (!text.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("not a plain Cassandra name: " + text);
        }
        return text;
    }

    private static String secret(String variable) throws IOException {
        String file = System.getenv(variable);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(variable + " is not set");
        }
        String text = Files.readString(Path.of(file)).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " (" + variable + ") is empty");
        }
        return text;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z") + " cassandra-roles-setup: " + message);
    }
}
