package io.casswarm.bench.ring;

import com.datastax.oss.driver.api.core.CqlSession;
import io.casswarm.common.secret.SecretFiles;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ring paths' keyspace, made as the Cassandra administrator before storage's context starts:
 * storage's role may create tables in its own keyspace only (the roles set-up grants it CREATE,
 * ALTER, DROP, SELECT and MODIFY on {@code casswarm}), so the benchmark's keyspace gets the same
 * rights, and storage's migrator then finds the keyspace there and makes its tables as storage.
 * The administrator's password comes as storage's does (RingWorker: stdin, into a tmpfs).
 */
final class BenchKeyspace {

    static final Path ADMIN_PASSWORD = Path.of("/run/secrets/cassandra_admin_password");
    private static final String[] PERMISSIONS = {"CREATE", "ALTER", "DROP", "SELECT", "MODIFY"};

    private BenchKeyspace() {
    }

    /** Creates the keyspace (IF NOT EXISTS) and grants storage's role its rights on it. */
    static void prepare(Map<String, String> env, String keyspace) {
        String datacenter = env.getOrDefault("CASSWARM_CASSANDRA_LOCAL_DATACENTER", "dc1");
        String replication = env.getOrDefault("CASSWARM_CASSANDRA_REPLICATION_FACTOR", "1");
        String storageRole = env.getOrDefault("CASSWARM_CASSANDRA_USERNAME", "storage");
        var builder = CqlSession.builder()
                .withLocalDatacenter(datacenter)
                .withAuthCredentials(env.getOrDefault("CASSWARM_CASSANDRA_ADMIN_USERNAME", "admin"),
                        SecretFiles.require(ADMIN_PASSWORD, "cassandra_admin_password", "bench's stdin (RingWorker)"));
        for (String contactPoint : env.getOrDefault("CASSWARM_CASSANDRA_CONTACT_POINTS", "cassandra1:9042").split(",")) {
            String[] hostPort = contactPoint.strip().split(":");
            builder.addContactPoint(InetSocketAddress.createUnresolved(hostPort[0],
                    hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 9042));
        }
        try (CqlSession admin = builder.build()) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': "
                    + "'NetworkTopologyStrategy', '" + datacenter.replace("'", "''") + "': "
                    + Integer.parseInt(replication) + "}");
            for (String permission : PERMISSIONS) {
                admin.execute("GRANT " + permission + " ON KEYSPACE " + keyspace + " TO " + storageRole);
            }
        }
    }
}
