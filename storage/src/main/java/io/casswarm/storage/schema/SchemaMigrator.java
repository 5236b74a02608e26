package io.casswarm.storage.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.casswarm.storage.cassandra.CassandraSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Brings the keyspace up to the newest migration, safely when several storage replicas start
 * at the same moment.
 *
 * <ol>
 *   <li>The keyspace and two bookkeeping tables are created with {@code IF NOT EXISTS}. In the
 *       stack the keyspace exists already (the Cassandra image's roles set-up creates it and
 *       grants storage's role rights on it alone): CREATE KEYSPACE, which needs CREATE on ALL
 *       KEYSPACES even with IF NOT EXISTS, is then not sent. The tables get a fixed table id derived from the keyspace name, so two replicas creating
 *       them at once create the same table rather than two conflicting ones.</li>
 *   <li>One replica at a time holds the {@link MigrationLock} (an LWT row with a lease, renewed
 *       by a heartbeat while held).</li>
 *   <li>Only the holder applies pending migrations, recording each in
 *       {@code schema_migrations}: APPLYING (with the count of statements done), then APPLIED.
 *       After every DDL statement it waits for schema agreement.</li>
 *   <li>The others poll until every migration is APPLIED, then wait for schema agreement.</li>
 * </ol>
 * A migration found APPLYING while nobody holds the lock (its migrator died halfway: killed by
 * a failed health check during a slow start, a lost machine) is finished by the next lock holder
 * from the statement it had reached, when every statement is idempotent ({@code IF NOT EXISTS},
 * {@code IF EXISTS}: {@link Migration#resumable()}), as every casswarm migration is. For the same
 * reason a statement of such a migration that fails (a timeout, a ring that does not agree in
 * time, a lost lock) leaves it APPLYING: start-up stops, and the next start finishes it. Only a
 * migration that cannot be sent twice is recorded FAILED, and then it, or one found APPLYING,
 * stops start-up with a message naming the version, the statement and what to do; a migration
 * is never skipped.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final CqlSession session;
    private final CassandraSettings cassandra;
    private final MigrationSettings settings;
    private final String keyspace;
    private final String owner;

    public SchemaMigrator(CqlSession session, CassandraSettings cassandra, MigrationSettings settings) {
        this.session = session;
        this.cassandra = cassandra;
        this.settings = settings;
        this.keyspace = cassandra.keyspace();
        this.owner = hostName() + "/" + UUID.randomUUID();
    }

    /** Applies what is pending (or waits for the replica that does) and returns the result. */
    public AppliedSchema migrate() {
        List<Migration> migrations = MigrationLoader.load(settings.location(), keyspace);
        createBookkeeping();
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        List<Integer> appliedHere = new ArrayList<>();
        boolean loggedWaiting = false;
        while (true) {
            Map<Integer, Row> records = readRecords();
            List<Migration> pending = pending(migrations, records, false);
            if (pending.isEmpty()) {
                awaitSchemaAgreement();
                int current = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
                LOG.info("schema of keyspace {} is at version {} ({} applied by this replica)",
                        keyspace, current, appliedHere.size());
                return new AppliedSchema(keyspace, current, List.copyOf(appliedHere));
            }
            MigrationLock lock = new MigrationLock(session, cassandra, settings.lockLease(), owner);
            if (lock.tryAcquire()) {
                try (lock) {
                    // Read again under the lock: another replica may have finished meanwhile.
                    Map<Integer, Row> underLock = readRecords();
                    for (Migration migration : pending(migrations, underLock, true)) {
                        Row abandoned = underLock.get(migration.version());
                        apply(migration, abandoned == null ? 0 : abandoned.getInt("applied_statements"), lock);
                        appliedHere.add(migration.version());
                    }
                }
                continue;
            }
            if (!loggedWaiting) {
                LOG.info("another storage replica holds the migration lock; waiting for it to apply {}",
                        pending.stream().map(Migration::version).toList());
                loggedWaiting = true;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new MigrationFailedException("waited " + settings.waitTimeout().toSeconds()
                        + " s for another replica to migrate keyspace " + keyspace + " (lock held by "
                        + lock.holder() + "); check that replica's log, or delete the row name='"
                        + MigrationLock.NAME + "' of " + keyspace + ".schema_lock if it is dead");
            }
            sleep(settings.pollInterval());
        }
    }

    private void createBookkeeping() {
        if (session.getMetadata().getKeyspace(keyspace).isEmpty()) {
            execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': "
                    + "'NetworkTopologyStrategy', '" + cassandra.localDatacenter().replace("'", "''") + "': "
                    + cassandra.replicationFactor() + "}");
        }
        execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations ("
                + "version int PRIMARY KEY, name text, checksum text, state text, statements int, "
                + "applied_statements int, applied_by text, started_at timestamp, finished_at timestamp, "
                + "error text) WITH ID = " + tableId("schema_migrations"));
        execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_lock ("
                + "name text PRIMARY KEY, owner text, acquired_at timestamp) WITH ID = " + tableId("schema_lock"));
        awaitSchemaAgreement();
    }

    /** Same id on every replica for the same keyspace and table; different across keyspaces. */
    private UUID tableId(String table) {
        return UUID.nameUUIDFromBytes(("casswarm:" + keyspace + "." + table).getBytes(StandardCharsets.UTF_8));
    }

    private Map<Integer, Row> readRecords() {
        Map<Integer, Row> records = new HashMap<>();
        for (Row row : session.execute(SimpleStatement.newInstance(
                "SELECT version, name, checksum, state, statements, applied_statements, applied_by, error FROM "
                        + keyspace + ".schema_migrations").setConsistencyLevel(cassandra.consistency()))) {
            records.put(row.getInt("version"), row);
        }
        return records;
    }

    /**
     * The migrations not yet applied. Throws when the records show a failure, an edited
     * migration, or (when {@code holdingLock}) a migration abandoned halfway.
     */
    private List<Migration> pending(List<Migration> migrations, Map<Integer, Row> records, boolean holdingLock) {
        List<Migration> pending = new ArrayList<>();
        for (Migration migration : migrations) {
            Row record = records.get(migration.version());
            if (record == null) {
                pending.add(migration);
                continue;
            }
            String state = record.getString("state");
            String where = "migration " + migration.version() + " (" + migration.name() + ") of keyspace " + keyspace;
            if ("FAILED".equals(state)) {
                throw new MigrationFailedException(where + " FAILED on " + record.getString("applied_by")
                        + " after " + record.getInt("applied_statements") + " of " + record.getInt("statements")
                        + " statements: " + record.getString("error") + ". The schema is half-changed: repair it by"
                        + " hand, then delete row version=" + migration.version() + " of " + keyspace
                        + ".schema_migrations to retry");
            }
            if ("APPLYING".equals(state)) {
                if (holdingLock && migration.resumable()) {
                    LOG.warn("{} was left half-applied by {} ({} of {} statements done, then it stopped): every"
                                    + " statement is idempotent, finishing it from statement {}", where,
                            record.getString("applied_by"), record.getInt("applied_statements"),
                            record.getInt("statements"), record.getInt("applied_statements") + 1);
                } else if (holdingLock) {
                    throw new MigrationFailedException(where + " was left half-applied by "
                            + record.getString("applied_by") + " (" + record.getInt("applied_statements") + " of "
                            + record.getInt("statements") + " statements done, its lock expired). Check the schema,"
                            + " finish it by hand, then delete row version=" + migration.version() + " of "
                            + keyspace + ".schema_migrations to retry");
                }
                pending.add(migration);
                continue;
            }
            if (!migration.checksum().equals(record.getString("checksum"))) {
                throw new MigrationFailedException(where + " was changed after it was applied (checksum "
                        + record.getString("checksum") + " in the keyspace, " + migration.checksum()
                        + " in this build). Released migrations must not be edited: add a new one");
            }
        }
        return pending;
    }

    /** Applies the migration's statements from index {@code from} on (0, or where a dead migrator stopped). */
    private void apply(Migration migration, int from, MigrationLock lock) {
        int total = migration.statements().size();
        LOG.info("applying migration {} ({}) to keyspace {}: {} statements{}", migration.version(), migration.name(),
                keyspace, total, from == 0 ? "" : ", from statement " + (from + 1));
        write("INSERT INTO " + keyspace + ".schema_migrations (version, name, checksum, state, statements, "
                        + "applied_statements, applied_by, started_at) VALUES (?, ?, ?, 'APPLYING', ?, ?, ?, ?)",
                migration.version(), migration.name(), migration.checksum(), total, from, owner, Instant.now());
        int done = from;
        try {
            for (String statement : migration.statements().subList(from, total)) {
                lock.ensureHeld();
                execute(statement);
                awaitSchemaAgreement();
                done++;
                // A migrator that lost its lock writes nothing more: the record is the new holder's.
                lock.ensureHeld();
                write("UPDATE " + keyspace + ".schema_migrations SET applied_statements = ? WHERE version = ?",
                        done, migration.version());
            }
            lock.ensureHeld();
        } catch (RuntimeException e) {
            String where = "migration " + migration.version() + " (" + migration.name() + ") of keyspace " + keyspace
                    + " failed at statement " + (done + 1) + " of " + total + " after " + done + " succeeded";
            if (migration.resumable()) {
                throw new MigrationFailedException(where + "; it stays APPLYING and the next start finishes it"
                        + " (every statement is idempotent): " + e.getMessage(), e);
            }
            String error = "statement " + (done + 1) + " failed: " + e.getMessage();
            try {
                lock.ensureHeld();
                write("UPDATE " + keyspace + ".schema_migrations SET state = 'FAILED', error = ?, finished_at = ? "
                        + "WHERE version = ?", error, Instant.now(), migration.version());
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw new MigrationFailedException(where + "; the schema is half-changed: " + e.getMessage(), e);
        }
        write("UPDATE " + keyspace + ".schema_migrations SET state = 'APPLIED', finished_at = ? WHERE version = ?",
                Instant.now(), migration.version());
        LOG.info("applied migration {} ({})", migration.version(), migration.name());
    }

    private void execute(String cql) {
        session.execute(SimpleStatement.newInstance(cql)
                .setConsistencyLevel(cassandra.consistency())
                .setTimeout(Duration.ofSeconds(60)));
    }

    private void write(String cql, Object... values) {
        session.execute(SimpleStatement.newInstance(cql, values).setConsistencyLevel(cassandra.consistency()));
    }

    private void awaitSchemaAgreement() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!session.checkSchemaAgreement()) {
            if (Instant.now().isAfter(deadline)) {
                throw new MigrationFailedException("the ring did not agree on the schema of keyspace "
                        + keyspace + " within 60 s; check `nodetool describecluster` for unreachable nodes");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationFailedException("interrupted while migrating the schema", e);
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "storage" : host;
    }
}
