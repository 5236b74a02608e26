package io.casswarm.storage.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.testing.CassandraExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations against a real Cassandra: racing replicas, and a migration that fails halfway. */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaMigratorTest {

    private static final Duration SCHEMA_REFRESH_WINDOW = Duration.ofMillis(100);

    private final List<CqlSession> sessions = new ArrayList<>();

    @BeforeAll
    void connect() {
        for (int i = 0; i < 2; i++) {
            String[] hostPort = System.getProperty("casswarm.cassandra.contact-points").split(":");
            sessions.add(CqlSession.builder()
                    .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                    .withLocalDatacenter("datacenter1")
                    // As storage's session in the tests (application-test.yml): each DDL
                    // statement waits out the schema refresh window.
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, SCHEMA_REFRESH_WINDOW)
                            .build())
                    .withAuthCredentials(System.getProperty("casswarm.cassandra.username"), password())
                    .build());
        }
    }

    @AfterAll
    void close() {
        sessions.forEach(CqlSession::close);
    }

    @Test
    void twoMigratorsStartingTogetherApplyEachMigrationOnce() throws Exception {
        String keyspace = "race_" + System.nanoTime() % 1_000_000;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<AppliedSchema> results = new ArrayList<>();
        try {
            List<Future<AppliedSchema>> running = new ArrayList<>();
            for (CqlSession session : sessions) {
                running.add(pool.submit(() -> {
                    SchemaMigrator migrator = new SchemaMigrator(session, cassandra(keyspace), migrations("db/migrations"));
                    start.await();
                    return migrator.migrate();
                }));
            }
            for (Future<AppliedSchema> result : running) {
                results.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> applied = new ArrayList<>();
        results.forEach(result -> applied.addAll(result.appliedHere()));
        applied.sort(null);
        List<Integer> versions = MigrationLoader.load("db/migrations", keyspace).stream().map(Migration::version).toList();
        assertEquals(versions, applied, "each migration applied exactly once, by one of the two");
        results.forEach(result -> assertEquals(versions.get(versions.size() - 1), result.currentVersion()));

        CqlSession session = sessions.get(0);
        List<Row> records = session.execute("SELECT version, state, applied_statements, statements FROM "
                + keyspace + ".schema_migrations").all();
        assertEquals(versions.size(), records.size());
        records.forEach(row -> {
            assertEquals("APPLIED", row.getString("state"));
            assertEquals(row.getInt("statements"), row.getInt("applied_statements"));
        });
        assertNull(session.execute("SELECT owner FROM " + keyspace + ".schema_lock WHERE name = 'migrations'").one(),
                "the lock is released");
        assertNotNull(session.getMetadata().getKeyspace(keyspace).flatMap(ks -> ks.getTable("documents_v2")).orElse(null));

        AppliedSchema again = new SchemaMigrator(session, cassandra(keyspace), migrations("db/migrations")).migrate();
        assertEquals(List.of(), again.appliedHere(), "a later start applies nothing");
    }

    @Test
    void aMigrationFailingHalfwayIsReportedAndNeverSkipped() {
        String keyspace = "broken_" + System.nanoTime() % 1_000_000;
        SchemaMigrator first = new SchemaMigrator(sessions.get(0), cassandra(keyspace), migrations("db/broken-migrations"));
        MigrationFailedException failed = assertThrows(MigrationFailedException.class, first::migrate);
        assertTrue(failed.getMessage().contains("migration 2 (broken)"), failed.getMessage());
        assertTrue(failed.getMessage().contains("statement 2 of 2"), failed.getMessage());
        assertTrue(failed.getMessage().contains("half-changed"), failed.getMessage());

        Row record = sessions.get(0).execute("SELECT state, applied_statements, error FROM " + keyspace
                + ".schema_migrations WHERE version = 2").one();
        assertEquals("FAILED", record.getString("state"));
        assertEquals(1, record.getInt("applied_statements"));

        SchemaMigrator later = new SchemaMigrator(sessions.get(1), cassandra(keyspace), migrations("db/broken-migrations"));
        MigrationFailedException reported = assertThrows(MigrationFailedException.class, later::migrate);
        assertTrue(reported.getMessage().contains("FAILED"), reported.getMessage());
        assertTrue(reported.getMessage().contains("after 1 of 2 statements"), reported.getMessage());
        assertTrue(reported.getMessage().contains("delete row version=2"), reported.getMessage());
    }

    @Test
    void aFailedStatementOfAnIdempotentMigrationLeavesItForTheNextStartToFinish() {
        String keyspace = "retry_" + System.nanoTime() % 1_000_000;
        CqlSession session = sessions.get(0);
        MigrationFailedException failed = assertThrows(MigrationFailedException.class,
                () -> new SchemaMigrator(session, cassandra(keyspace), migrations("db/retryable-migrations")).migrate());
        assertTrue(failed.getMessage().contains("statement 2 of 2"), failed.getMessage());
        assertTrue(failed.getMessage().contains("stays APPLYING"), failed.getMessage());
        Row record = session.execute("SELECT state, applied_statements FROM " + keyspace
                + ".schema_migrations WHERE version = 1").one();
        assertEquals("APPLYING", record.getString("state"), "not FAILED: nothing for a person to repair");
        assertEquals(1, record.getInt("applied_statements"));
        assertNull(session.execute("SELECT owner FROM " + keyspace + ".schema_lock WHERE name = 'migrations'").one(),
                "the lock is released for the next start");

        session.execute("CREATE TYPE " + keyspace + ".tag (name text)");
        AppliedSchema finished = new SchemaMigrator(sessions.get(1), cassandra(keyspace),
                migrations("db/retryable-migrations")).migrate();
        assertEquals(List.of(1), finished.appliedHere());
        record = session.execute("SELECT state, applied_statements FROM " + keyspace
                + ".schema_migrations WHERE version = 1").one();
        assertEquals("APPLIED", record.getString("state"));
        assertEquals(2, record.getInt("applied_statements"));
    }

    @Test
    void theLockOutlivesItsLeaseWhileHeldAndIsFreeOnceReleased() {
        String keyspace = "lease_" + System.nanoTime() % 1_000_000;
        new SchemaMigrator(sessions.get(0), cassandra(keyspace), migrations("db/migrations")).migrate();
        Duration lease = Duration.ofSeconds(2);
        MigrationLock rival = new MigrationLock(sessions.get(1), cassandra(keyspace), lease, "rival");
        try (MigrationLock held = new MigrationLock(sessions.get(0), cassandra(keyspace), lease, "holder")) {
            assertTrue(held.tryAcquire());
            // Held throughout three leases, as one slow DDL statement would take: looked at
            // again and again (each look is a SERIAL read) until the deadline.
            long deadline = System.nanoTime() + lease.multipliedBy(3).toNanos();
            while (System.nanoTime() < deadline) {
                held.ensureHeld();
                assertEquals("holder", held.holder(), "the heartbeat renewed the lease");
            }
            assertFalse(rival.tryAcquire(), "nobody else can take it meanwhile");
        }
        assertTrue(rival.tryAcquire(), "released on close");
        rival.close();
    }

    @Test
    void anAbandonedMigrationOfIdempotentStatementsIsFinishedByTheNextMigrator() {
        String keyspace = "abandoned_" + System.nanoTime() % 1_000_000;
        CqlSession session = sessions.get(0);
        new SchemaMigrator(session, cassandra(keyspace), migrations("db/migrations")).migrate();
        // As seen on the simulated swarm: the migrator of migration 3 killed (a failed health check
        // during a slow start) after 8 of its 9 statements, the last index never made, its lock expired.
        session.execute("DROP INDEX " + keyspace + ".documents_v2_ts");
        session.execute("UPDATE " + keyspace + ".schema_migrations SET state = 'APPLYING', applied_statements = 8, "
                + "applied_by = 'dead-replica' WHERE version = 3");

        AppliedSchema finished = new SchemaMigrator(session, cassandra(keyspace), migrations("db/migrations")).migrate();
        assertEquals(List.of(3), finished.appliedHere(), "the next migrator finishes migration 3 and nothing else");
        Row record = session.execute("SELECT state, applied_statements FROM " + keyspace
                + ".schema_migrations WHERE version = 3").one();
        assertEquals("APPLIED", record.getString("state"));
        assertEquals(9, record.getInt("applied_statements"));
        assertTrue(session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable("documents_v2"))
                .map(t -> t.getIndexes().containsKey(com.datastax.oss.driver.api.core.CqlIdentifier.fromCql("documents_v2_ts")))
                .orElse(false), "the index the dead migrator never made exists now");
    }

    @Test
    void anAbandonedMigrationThatCannotBeSentAgainIsReported() {
        String keyspace = "abandoned_" + System.nanoTime() % 1_000_000;
        CqlSession session = sessions.get(0);
        assertThrows(MigrationFailedException.class,
                () -> new SchemaMigrator(session, cassandra(keyspace), migrations("db/broken-migrations")).migrate());
        // As if its migrator had died after statement 1: the second (a CREATE TABLE without IF NOT
        // EXISTS) may or may not have run, and running it twice would fail or do it twice.
        session.execute("UPDATE " + keyspace + ".schema_migrations SET state = 'APPLYING', applied_statements = 1 "
                + "WHERE version = 2");
        MigrationFailedException reported = assertThrows(MigrationFailedException.class,
                () -> new SchemaMigrator(session, cassandra(keyspace), migrations("db/broken-migrations")).migrate());
        assertTrue(reported.getMessage().contains("half-applied"), reported.getMessage());
        assertTrue(reported.getMessage().contains("1 of 2 statements done"), reported.getMessage());
    }

    private static CassandraSettings cassandra(String keyspace) {
        return new CassandraSettings(List.of(System.getProperty("casswarm.cassandra.contact-points")), "datacenter1",
                keyspace, 1, DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.LOCAL_SERIAL,
                Duration.ofSeconds(10), Duration.ofMillis(150), 2,
                System.getProperty("casswarm.cassandra.username"),
                Path.of(System.getProperty("casswarm.cassandra.password-file")), SCHEMA_REFRESH_WINDOW);
    }

    private static String password() {
        return CassandraExtension.CassandraNode.password(Path.of(System.getProperty("casswarm.cassandra.password-file")));
    }

    private static MigrationSettings migrations(String location) {
        return new MigrationSettings(location, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMillis(200));
    }

}
