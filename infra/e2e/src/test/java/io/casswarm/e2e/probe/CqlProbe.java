package io.casswarm.e2e.probe;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import java.net.InetSocketAddress;

/**
 * A CQL client for the end-to-end tests, run in a container of storage's image on the stack's
 * network (storage's jar carries the driver): {@code java -cp /app/app.jar:/tmp/probe
 * io.casswarm.e2e.probe.CqlProbe CONTACT_POINT schema|write ID}. It works on a keyspace of its
 * own (e2e_probe, replication factor 3), so the checks of the ring do not depend on storage's
 * schema. Compiled here against the driver version storage uses; not run in this JVM. Logs in as
 * the superuser admin, its password in /tmp/probe/cassandra_admin_password (Cluster writes it).
 */
public class CqlProbe {

    public static void main(String[] args) {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(args[0], 9042))
                .withLocalDatacenter("dc1")
                .withAuthCredentials("admin", password())
                .build()) {
            switch (args[1]) {
                case "schema" -> {
                    session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS e2e_probe WITH replication = "
                            + "{'class': 'NetworkTopologyStrategy', 'dc1': 3}").setTimeout(java.time.Duration.ofSeconds(30)));
                    session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS e2e_probe.rows "
                            + "(id text PRIMARY KEY, written_at timestamp)").setTimeout(java.time.Duration.ofSeconds(30)));
                    System.out.println("schema ok");
                }
                case "write" -> {
                    session.execute(SimpleStatement.newInstance("INSERT INTO e2e_probe.rows (id, written_at) VALUES (?, toTimestamp(now()))",
                            args[2]).setConsistencyLevel(ConsistencyLevel.QUORUM));
                    System.out.println("written " + args[2]);
                }
                default -> throw new IllegalArgumentException("unknown command " + args[1]);
            }
        }
    }

    private static String password() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/tmp/probe/cassandra_admin_password")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
