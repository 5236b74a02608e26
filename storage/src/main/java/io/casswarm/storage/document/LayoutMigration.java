package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.schema.AppliedSchema;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The online, restartable copy of layout v1 ({@code documents}: a partition per collection)
 * into layout v2 ({@code documents_v2}: a partition per document).
 *
 * <ul>
 *   <li><b>One copier at a time, anywhere:</b> the replica holding the lease (row
 *       {@code data_migrations.name = 'documents_v2'}, an LWT on {@code owner} with a TTL,
 *       renewed with every checkpoint) copies; the others poll for {@code DONE}. A copier that
 *       dies stops renewing and its lease expires, then any replica resumes.</li>
 *   <li><b>Checkpoint:</b> v1 partitions are walked in token order and rows in id order; after
 *       each batch the last (tenant, collection, id) copied is written in the same LWT as the
 *       lease renewal. A restart resumes after it, so at most one batch is copied again.</li>
 *   <li><b>No loss, no duplicates, never older over newer:</b> a copy is
 *       {@code IF version = null} on the v2 row: it lands only where v2 has nothing, so a batch
 *       copied twice changes nothing the second time, and a document written or deleted
 *       through v2 meanwhile (a v2 row or a delete marker) is never overwritten.</li>
 *   <li><b>Online:</b> until the copy is done, a point read, write or delete of a document
 *       without a v2 row reads its v1 row ({@link #findV1}); its first write creates the v2 row
 *       with the same {@code IF version = null} and then deletes the v1 row, and a create
 *       refuses an id that v1 still holds. Listings (and filters) read v2 only: during the copy
 *       they see the documents copied so far.</li>
 * </ul>
 */
@Context
public final class LayoutMigration {

    static final String NAME = "documents_v2";
    private static final Logger LOG = LoggerFactory.getLogger(LayoutMigration.class);

    private final CqlSession session;
    private final CassandraSettings cassandra;
    private final LayoutMigrationSettings settings;
    private final DocumentRepository repository;
    private final DocumentRules rules;
    private final String keyspace;
    private final String owner = hostName() + "/" + UUID.randomUUID();
    private final PreparedStatement findV1;
    private final PreparedStatement deleteV1;
    private volatile boolean done;
    private volatile boolean running = true;
    private final Thread copier;

    LayoutMigration(CqlSession session, CassandraSettings cassandra, LayoutMigrationSettings settings,
                    DocumentRepository repository, DocumentRules rules, AppliedSchema schema) {
        this.session = session;
        this.cassandra = cassandra;
        this.settings = settings;
        this.repository = repository;
        this.rules = rules;
        this.keyspace = schema.keyspace();
        String v1 = keyspace + ".documents";
        this.findV1 = session.prepare(SimpleStatement.builder("SELECT id, version, created_at, updated_at,"
                        + " expires_at, body FROM " + v1 + " WHERE tenant = ? AND collection = ? AND id = ?")
                .setConsistencyLevel(cassandra.consistency()).setIdempotence(true).build());
        this.deleteV1 = session.prepare(SimpleStatement.builder("DELETE FROM " + v1
                        + " WHERE tenant = ? AND collection = ? AND id = ?")
                .setConsistencyLevel(cassandra.consistency()).setIdempotence(true).build());
        this.done = "DONE".equals(state());
        this.copier = new Thread(this::run, "layout-migration");
        this.copier.setDaemon(true);
        if (!done) {
            this.copier.start();
        }
    }

    /** True once every v1 row is in v2: nothing reads v1 any more. */
    public boolean done() {
        return done;
    }

    /** The v1 row of a document, when the copy is not done (for documents without a v2 row). */
    CompletionStage<Optional<StoredDocument>> findV1(DocumentKey key) {
        if (done) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return session.executeAsync(findV1.bind(key.tenant(), key.collection(), key.id()))
                .thenApply(rows -> Optional.ofNullable(rows.one())
                        .filter(row -> !row.isNull("version") && !row.isNull("body"))
                        .map(row -> new StoredDocument(row.getString("id"), row.getLong("version"),
                                row.getInstant("created_at"), row.getInstant("updated_at"),
                                row.getInstant("expires_at"), null, row.getString("body"), Map.of(), true)));
    }

    /** Drops the v1 row of a document that now lives in v2 (best effort: the copy skips it anyway). */
    void forgetV1(DocumentKey key) {
        session.executeAsync(deleteV1.bind(key.tenant(), key.collection(), key.id()))
                .whenComplete((rows, failure) -> {
                    if (failure != null) {
                        LOG.debug("could not drop the v1 row of {}: {}", key, failure.toString());
                    }
                });
    }

    @PreDestroy
    void stop() {
        running = false;
        copier.interrupt();
    }

    // ---- the copier -------------------------------------------------------------------------

    private void run() {
        while (running && !done) {
            try {
                if (settings.enabled() && takeLease()) {
                    copyAll();
                } else {
                    done = "DONE".equals(state());
                    sleep(settings.poll().toMillis());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("layout migration step failed, trying again: {}", e.toString());
                sleep(settings.poll().toMillis());
            }
        }
    }

    private void copyAll() {
        Row checkpoint = session.execute(SimpleStatement.newInstance("SELECT tenant, collection, last_id, copied,"
                + " skipped FROM " + keyspace + ".data_migrations WHERE name = ?", NAME)
                .setConsistencyLevel(cassandra.serialConsistency())).one();
        String tenant = checkpoint == null ? null : checkpoint.getString("tenant");
        String collection = checkpoint == null ? null : checkpoint.getString("collection");
        String lastId = checkpoint == null || checkpoint.getString("last_id") == null ? "" : checkpoint.getString("last_id");
        long copied = checkpoint == null || checkpoint.isNull("copied") ? 0 : checkpoint.getLong("copied");
        long skipped = checkpoint == null || checkpoint.isNull("skipped") ? 0 : checkpoint.getLong("skipped");
        LOG.info("layout migration: copying documents into documents_v2 as {}, from {}/{} after '{}' ({} copied)",
                owner, tenant, collection, lastId, copied);
        while (running) {
            if (tenant == null) {
                Row first = session.execute(SimpleStatement.newInstance("SELECT DISTINCT tenant, collection FROM "
                        + keyspace + ".documents LIMIT 1").setConsistencyLevel(cassandra.consistency())).one();
                if (first == null) {
                    finish(copied, skipped);
                    return;
                }
                tenant = first.getString("tenant");
                collection = first.getString("collection");
                lastId = "";
            }
            List<Row> rows = session.execute(SimpleStatement.newInstance("SELECT id, version, created_at, updated_at,"
                            + " expires_at, body FROM " + keyspace + ".documents WHERE tenant = ? AND collection = ?"
                            + " AND id > ? LIMIT ?", tenant, collection, lastId, settings.batchSize())
                    .setConsistencyLevel(cassandra.consistency())).all();
            if (rows.isEmpty()) {
                Row next = session.execute(SimpleStatement.newInstance("SELECT DISTINCT tenant, collection FROM "
                                + keyspace + ".documents WHERE token(tenant, collection) > token(?, ?) LIMIT 1",
                        tenant, collection).setConsistencyLevel(cassandra.consistency())).one();
                if (next == null) {
                    finish(copied, skipped);
                    return;
                }
                tenant = next.getString("tenant");
                collection = next.getString("collection");
                lastId = "";
                continue;
            }
            for (Row row : rows) {
                if (copy(tenant, collection, row)) {
                    copied++;
                } else {
                    skipped++;
                }
                lastId = row.getString("id");
            }
            checkpoint(tenant, collection, lastId, copied, skipped);
            sleep(settings.pause().toMillis());
        }
    }

    /** Copies one v1 row unless v2 has the document (or it expired); true when copied. */
    private boolean copy(String tenant, String collection, Row row) {
        if (row.isNull("version") || row.isNull("body")) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = row.getInstant("expires_at");
        int ttl = 0;
        if (expiresAt != null) {
            long seconds = (expiresAt.toEpochMilli() - now.toEpochMilli() + 999) / 1000;
            if (seconds <= 0) {
                return false;
            }
            ttl = (int) seconds;
        }
        DocumentKey key = new DocumentKey(tenant, collection, row.getString("id"));
        String body = row.getString("body");
        ObjectNode bodyJson = rules.parse(body);
        DocumentWriteRow write = new DocumentWriteRow(key, row.getLong("version"), row.getInstant("created_at"),
                row.getInstant("updated_at"), expiresAt, ttl, body, bodyJson,
                IndexEntries.of(bodyJson), List.of(), "layout-v1-copy", "layout-v1-copy", Set.of());
        WriteOutcome outcome = repository.copy(write).toCompletableFuture().join();
        return outcome.kind() == WriteOutcome.Kind.APPLIED;
    }

    private boolean takeLease() {
        return session.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".data_migrations USING TTL ?"
                                + " SET owner = ? WHERE name = ? IF owner = null", lease(), owner, NAME)
                        .setConsistencyLevel(cassandra.consistency())
                        .setSerialConsistencyLevel(cassandra.serialConsistency()))
                .wasApplied();
    }

    /** Moves the checkpoint and renews the lease in one LWT; losing the lease stops this copier. */
    private void checkpoint(String tenant, String collection, String lastId, long copied, long skipped) {
        BatchStatement batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                .addStatement(SimpleStatement.newInstance("UPDATE " + keyspace + ".data_migrations USING TTL ?"
                        + " SET owner = ? WHERE name = ? IF owner = ?", lease(), owner, NAME, owner))
                .addStatement(SimpleStatement.newInstance("UPDATE " + keyspace + ".data_migrations SET state = ?,"
                                + " tenant = ?, collection = ?, last_id = ?, copied = ?, skipped = ?, updated_at = ?"
                                + " WHERE name = ?", "COPYING", tenant, collection, lastId, copied, skipped,
                        Instant.now(), NAME))
                .setConsistencyLevel(cassandra.consistency())
                .setSerialConsistencyLevel(cassandra.serialConsistency())
                .build();
        if (!session.execute(batch).wasApplied()) {
            throw new IllegalStateException("lost the layout migration lease (it expired after "
                    + settings.lease().toSeconds() + " s without renewal)");
        }
    }

    private void finish(long copied, long skipped) {
        session.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".data_migrations SET state = 'DONE',"
                        + " copied = ?, skipped = ?, updated_at = ? WHERE name = ?", copied, skipped, Instant.now(), NAME)
                .setConsistencyLevel(cassandra.consistency()));
        done = true;
        LOG.info("layout migration done: {} documents copied into documents_v2, {} skipped (in v2 already,"
                + " or expired)", copied, skipped);
    }

    private @Nullable String state() {
        Row row = session.execute(SimpleStatement.newInstance("SELECT state FROM " + keyspace
                + ".data_migrations WHERE name = ?", NAME).setConsistencyLevel(cassandra.consistency())).one();
        return row == null ? null : row.getString("state");
    }

    private int lease() {
        return (int) Math.max(1, settings.lease().toSeconds());
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "storage" : host;
    }
}
