package io.casswarm.storage.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.casswarm.storage.cassandra.CassandraSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The keyspace's one migration lock: a row of {@code schema_lock} taken with an LWT
 * ({@code INSERT ... IF NOT EXISTS USING TTL lease}), released with {@code DELETE ... IF owner = ?}.
 * A crashed holder's lease expires by itself.
 *
 * <p>While held, a heartbeat renews the lease every third of it, from its own thread: one DDL
 * statement may outlast a whole lease (on a ring just formed, the driver waits 30 s for schema
 * agreement, and the migrator up to 60 s more), and a lock renewed only between statements was
 * lost in the middle of one, on the simulated swarm. A renewal that finds another owner marks the
 * lock lost; {@link #ensureHeld()} then stops the migrator before its next step.
 */
final class MigrationLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    /** The lock row's key, for messages telling an operator which row to delete. */
    static final String NAME = "migrations";

    private final CqlSession session;
    private final CassandraSettings cassandra;
    private final Duration lease;
    private final String owner;
    private ScheduledExecutorService heartbeat;
    private volatile String lost;

    MigrationLock(CqlSession session, CassandraSettings cassandra, Duration lease, String owner) {
        this.session = session;
        this.cassandra = cassandra;
        this.lease = lease;
        this.owner = owner;
    }

    /** Takes the lock if nobody holds it, and starts renewing it. */
    boolean tryAcquire() {
        boolean applied = session.execute(lwt("INSERT INTO " + cassandra.keyspace() + ".schema_lock "
                + "(name, owner, acquired_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ?",
                NAME, owner, Instant.now(), leaseSeconds())).wasApplied();
        if (applied) {
            LOG.info("took the migration lock of keyspace {} as {}", cassandra.keyspace(), owner);
            lost = null;
            long period = Math.max(200, lease.toMillis() / 3);
            heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "migration-lock-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            heartbeat.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        }
        return applied;
    }

    /** Throws when a renewal found the lock taken by another replica (this one's lease expired). */
    void ensureHeld() {
        if (lost != null) {
            throw new MigrationFailedException(lost);
        }
    }

    /** Who holds the lock now, for messages. */
    String holder() {
        Row row = session.execute(SimpleStatement.newInstance(
                "SELECT owner FROM " + cassandra.keyspace() + ".schema_lock WHERE name = ?", NAME)
                .setConsistencyLevel(cassandra.serialConsistency())).one();
        return row == null ? "nobody now" : row.getString("owner");
    }

    /** Stops renewing and releases the lock; a failed release expires by itself. */
    @Override
    public void close() {
        if (heartbeat == null) {
            return;
        }
        heartbeat.shutdownNow();
        heartbeat = null;
        try {
            session.execute(lwt("DELETE FROM " + cassandra.keyspace() + ".schema_lock WHERE name = ? IF owner = ?",
                    NAME, owner));
        } catch (RuntimeException e) {
            LOG.warn("could not release the migration lock of keyspace {}; it expires by itself in {} s",
                    cassandra.keyspace(), leaseSeconds(), e);
        }
    }

    private void renew() {
        try {
            boolean applied = session.execute(lwt("UPDATE " + cassandra.keyspace() + ".schema_lock USING TTL ? "
                    + "SET owner = ?, acquired_at = ? WHERE name = ? IF owner = ?",
                    leaseSeconds(), owner, Instant.now(), NAME, owner)).wasApplied();
            if (!applied && lost == null) {
                lost = "lost the migration lock of keyspace " + cassandra.keyspace() + " (its " + leaseSeconds()
                        + " s lease expired before a renewal)";
                LOG.warn("{}; now held by {}", lost, holder());
            }
        } catch (RuntimeException e) {
            // The next beat tries again: the lease outlasts one missed renewal.
            LOG.warn("could not renew the migration lock of keyspace {}: {}", cassandra.keyspace(), e.toString());
        }
    }

    private SimpleStatement lwt(String cql, Object... values) {
        return SimpleStatement.newInstance(cql, values)
                .setConsistencyLevel(cassandra.consistency())
                .setSerialConsistencyLevel(cassandra.serialConsistency());
    }

    private int leaseSeconds() {
        return (int) Math.max(1, lease.toSeconds());
    }
}
