package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.schema.AppliedSchema;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every CQL statement on {@code documents_v2}, prepared at start-up (query shapes on first use)
 * and run asynchronously. Every statement names the partition key (scope, id) or an index
 * value that starts with the scope, so no statement reaches another tenant's rows.
 *
 * <ul>
 *   <li>Reads: {@code consistency} (LOCAL_QUORUM), idempotent, so the driver may retry them on
 *       another node and run a speculative execution.</li>
 *   <li>Writes: each is one conditional batch on the document's partition (document row,
 *       write record, index rows), so one lightweight transaction: Paxos at
 *       {@code serial-consistency} (LOCAL_SERIAL), commit at {@code consistency}. Not
 *       idempotent for the driver, so never retried blindly. When the condition fails, or the
 *       outcome is unknown (write timeout, CAS write unknown, client timeout, connection lost
 *       after sending), the row is read at SERIAL consistency, which completes or supersedes an
 *       in-flight Paxos round, and the write's idempotency key in the row's write records tells
 *       whether it landed, even if newer writes superseded it since.</li>
 * </ul>
 */
@Singleton
final class DocumentRepository {

    static final String TABLE = "documents_v2";
    static final String DOC_COLUMNS = "id, version, created_at, updated_at, expires_at, deleted_at, body, writes";

    private final CqlSession session;
    private final CassandraSettings settings;
    private final DocumentWriteSettings writeSettings;
    private final String table;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectOneSerial;
    private final PreparedStatement createDocument;
    private final PreparedStatement updateDocument;
    private final PreparedStatement copyDocument;
    private final PreparedStatement markDeleted;
    private final PreparedStatement markDeletedCopy;
    private final PreparedStatement recordWrite;
    private final PreparedStatement pruneWrites;
    private final PreparedStatement upsertFieldRow;
    private final PreparedStatement deleteFieldRow;
    private final PreparedStatement deleteFieldRows;
    private final UserDefinedType appliedWriteType;
    private final Map<String, CompletionStage<PreparedStatement>> queryShapes = new ConcurrentHashMap<>();

    DocumentRepository(CqlSession session, CassandraSettings settings, AppliedSchema schema,
                       DocumentWriteSettings writeSettings) {
        this.session = session;
        this.settings = settings;
        this.writeSettings = writeSettings;
        this.table = schema.keyspace() + "." + TABLE;
        String key = " WHERE scope = ? AND id = ? AND entry = ''";
        this.selectOne = prepareRead("SELECT " + DOC_COLUMNS + " FROM " + table + key);
        this.selectOneSerial = session.prepare(SimpleStatement.builder("SELECT " + DOC_COLUMNS + " FROM " + table + key)
                .setConsistencyLevel(settings.serialConsistency())
                .setIdempotence(true)
                .build());
        String set = " SET listed = ?, version = ?, created_at = ?, updated_at = ?, expires_at = ?, deleted_at = null,"
                + " body = ?, eqs = ?, paths = ?";
        this.createDocument = session.prepare("UPDATE " + table + " USING TTL ?" + set + key + " IF body = null");
        this.updateDocument = session.prepare("UPDATE " + table + " USING TTL ?" + set + key + " IF version = ?");
        // A document of layout v1: its first v2 row, unless one exists (copied meanwhile, or
        // a delete marker, which the copy must not overwrite).
        this.copyDocument = session.prepare("UPDATE " + table + " USING TTL ?" + set + key + " IF version = null");
        String marker = "UPDATE " + table + " USING TTL ? SET listed = null, version = ?,"
                + " created_at = null, updated_at = ?, expires_at = null, deleted_at = ?, body = null, eqs = null,"
                + " paths = null" + key;
        this.markDeleted = session.prepare(marker + " IF version = ?");
        this.markDeletedCopy = session.prepare(marker + " IF version = null");
        this.recordWrite = session.prepare("UPDATE " + table + " USING TTL ? SET writes[?] = ?" + key);
        this.pruneWrites = session.prepare("UPDATE " + table + " SET writes = writes - ?" + key);
        this.upsertFieldRow = session.prepare("UPDATE " + table + " USING TTL ? SET field = ?, num = ?, str = ?, ts = ?"
                + " WHERE scope = ? AND id = ? AND entry = ?");
        this.deleteFieldRow = session.prepare("DELETE FROM " + table + " WHERE scope = ? AND id = ? AND entry = ?");
        this.deleteFieldRows = session.prepare("DELETE FROM " + table + " WHERE scope = ? AND id = ? AND entry > ''");
        this.appliedWriteType = (UserDefinedType) recordWrite.getVariableDefinitions().get(2).getType();
    }

    private PreparedStatement prepareRead(String cql) {
        return session.prepare(SimpleStatement.builder(cql)
                .setConsistencyLevel(settings.consistency())
                .setIdempotence(true)
                .build());
    }

    /** The document row, live or not (a delete marker, or cells expired but write records left). */
    CompletionStage<Optional<StoredDocument>> find(DocumentKey key) {
        return session.executeAsync(selectOne.bind(key.scope(), key.id()))
                .thenApply(rows -> Optional.ofNullable(rows.one()).map(DocumentRepository::stored));
    }

    /** Creates the document unless a live one has this id (a delete marker or expired row does not count). */
    CompletionStage<WriteOutcome> create(DocumentWriteRow row) {
        BoundStatement document = bindDocument(createDocument, row);
        return cas(batch(row, document), row);
    }

    /**
     * Writes the document if it is still at {@code current}'s version; for a document read from
     * layout v1, if it still has no v2 row.
     */
    CompletionStage<WriteOutcome> update(DocumentWriteRow row, StoredDocument current) {
        BoundStatement document = current.legacy()
                ? bindDocument(copyDocument, row)
                : bindDocument(updateDocument, row).setLong(11, current.version());
        return cas(batch(row, document), row);
    }

    /** A v1 document's first v2 row, unless it has one already (the layout migration's copy). */
    CompletionStage<WriteOutcome> copy(DocumentWriteRow row) {
        return cas(batch(row, bindDocument(copyDocument, row)), row);
    }

    /** Replaces the document at {@code current}'s version by a delete marker and drops its index rows. */
    CompletionStage<WriteOutcome> markDeleted(DocumentWriteRow marker, StoredDocument current) {
        DocumentKey key = marker.key();
        BoundStatement document = current.legacy()
                ? markDeletedCopy.bind(marker.ttlSeconds(), marker.version(), marker.updatedAt(), marker.updatedAt(),
                        key.scope(), key.id())
                : markDeleted.bind(marker.ttlSeconds(), marker.version(), marker.updatedAt(), marker.updatedAt(),
                        key.scope(), key.id(), current.version());
        BatchStatementBuilder batch = batchBuilder().addStatement(document);
        records(batch, marker);
        batch.addStatement(deleteFieldRows.bind(key.scope(), key.id()));
        return cas(batch.build(), marker);
    }

    private BoundStatement bindDocument(PreparedStatement statement, DocumentWriteRow row) {
        DocumentKey key = row.key();
        IndexEntries index = row.index();
        return statement.bind()
                .setInt(0, row.ttlSeconds())
                .setString(1, key.scope())
                .setLong(2, row.version())
                .setInstant(3, row.createdAt())
                .setInstant(4, row.updatedAt())
                .setInstant(5, row.expiresAt())
                .setString(6, row.body())
                .setSet(7, index.eqs(), String.class)
                .setSet(8, index.paths(), String.class)
                .setString(9, key.scope())
                .setString(10, key.id());
    }

    /** The document statement, its write record, and its index rows: one partition, one LWT. */
    private BatchStatement batch(DocumentWriteRow row, BoundStatement document) {
        DocumentKey key = row.key();
        BatchStatementBuilder batch = batchBuilder().addStatement(document);
        records(batch, row);
        for (String removed : row.removedRows()) {
            batch.addStatement(deleteFieldRow.bind(key.scope(), key.id(), removed));
        }
        for (IndexEntries.FieldRow field : row.index().rows().values()) {
            // Only the value column of the row's kind is bound: unset columns write nothing
            // (no tombstones), and each kind has its own row.
            BoundStatement statement = upsertFieldRow.bind()
                    .setInt(0, row.ttlSeconds())
                    .setString(1, key.scope() + "/" + field.path())
                    .setString(5, key.scope())
                    .setString(6, key.id())
                    .setString(7, field.entry());
            if (field.num() != null) {
                statement = statement.setBigDecimal(2, field.num());
            } else if (field.str() != null) {
                statement = statement.setBigInteger(3, field.str());
            } else {
                statement = statement.setInstant(4, field.ts());
            }
            batch.addStatement(statement);
        }
        return batch.build();
    }

    private void records(BatchStatementBuilder batch, DocumentWriteRow row) {
        DocumentKey key = row.key();
        UdtValue record = appliedWriteType.newValue(row.fingerprint(), row.version(), row.updatedAt());
        batch.addStatement(recordWrite.bind((int) writeSettings.idempotencyWindow().toSeconds(), row.idempotencyKey(),
                record, key.scope(), key.id()));
        if (!row.prunedKeys().isEmpty()) {
            batch.addStatement(pruneWrites.bind(row.prunedKeys(), key.scope(), key.id()));
        }
    }

    private BatchStatementBuilder batchBuilder() {
        return BatchStatement.builder(DefaultBatchType.UNLOGGED)
                .setConsistencyLevel(settings.consistency())
                .setSerialConsistencyLevel(settings.serialConsistency())
                .setIdempotence(false);
    }

    /**
     * Runs the conditional batch. Not applied, or outcome unknown: a SERIAL read decides
     * between "an attempt with this key landed" (RECORDED) and "the condition failed" (REJECTED).
     */
    private CompletionStage<WriteOutcome> cas(Statement<?> statement, DocumentWriteRow row) {
        return session.executeAsync(statement)
                .thenApply(AsyncResultSet::wasApplied)
                .handle((applied, failure) -> {
                    if (failure == null && applied) {
                        return CompletableFuture.completedFuture(WriteOutcome.APPLIED);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause != null && !outcomeUnknown(cause)) {
                        return CompletableFuture.<WriteOutcome>failedFuture(cause);
                    }
                    return findSerial(row.key()).thenApply(found -> {
                        StoredDocument current = found.orElse(null);
                        if (current != null && current.writes().containsKey(row.idempotencyKey())) {
                            return new WriteOutcome(WriteOutcome.Kind.RECORDED, current);
                        }
                        return new WriteOutcome(WriteOutcome.Kind.REJECTED, current);
                    });
                })
                .thenCompose(Function.identity());
    }

    /** The row at SERIAL consistency: completes (or supersedes) any Paxos round in flight first. */
    CompletionStage<Optional<StoredDocument>> findSerial(DocumentKey key) {
        return session.executeAsync(selectOneSerial.bind(key.scope(), key.id()))
                .thenApply(rows -> Optional.ofNullable(rows.one()).map(DocumentRepository::stored));
    }

    /**
     * Failures after which the write may or may not have been applied: a server-side write
     * timeout or CAS-unknown, or the driver giving up (client timeout, connection lost) after
     * the request was sent. Failures before sending (no node available, unavailable) are not.
     */
    static boolean outcomeUnknown(Throwable cause) {
        return cause instanceof WriteTimeoutException
                || cause instanceof CASWriteUnknownException
                || cause instanceof DriverTimeoutException
                || cause instanceof ClosedConnectionException
                || cause instanceof HeartbeatException;
    }

    /** Runs a read of a query shape (CQL text), preparing it once. */
    CompletionStage<AsyncResultSet> read(String cql, List<Object> values, int pageSize) {
        return queryShapes.computeIfAbsent(cql, text -> session.prepareAsync(SimpleStatement.builder(text)
                        .setConsistencyLevel(settings.consistency())
                        .setIdempotence(true)
                        .build()))
                .thenCompose(prepared -> session.executeAsync(prepared.bind(values.toArray()).setPageSize(pageSize)));
    }

    String table() {
        return table;
    }

    /** The type of the writes column, made once: the driver would build it for every row (profile 4). */
    private static final GenericType<Map<String, UdtValue>> WRITES = GenericType.mapOf(String.class, UdtValue.class);

    static StoredDocument stored(Row row) {
        Map<String, AppliedWrite> writes = new HashMap<>();
        Map<String, UdtValue> records = row.get("writes", WRITES);
        if (records != null) {
            records.forEach((key, value) -> writes.put(key, new AppliedWrite(value.getString("fingerprint"),
                    value.getLong("version"), value.getInstant("at"))));
        }
        return new StoredDocument(
                row.getString("id"),
                row.isNull("version") ? 0 : row.getLong("version"),
                row.getInstant("created_at"),
                row.getInstant("updated_at"),
                row.getInstant("expires_at"),
                row.getInstant("deleted_at"),
                row.getString("body"),
                writes,
                false);
    }

    /** The keys to drop so that at most {@code keep} records remain after adding one. */
    static Set<String> prune(Map<String, AppliedWrite> writes, int keep) {
        if (writes.size() < keep) {
            return Set.of();
        }
        return writes.entrySet().stream()
                .sorted((a, b) -> a.getValue().at().compareTo(b.getValue().at()))
                .limit(writes.size() - keep + 1L)
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toSet());
    }

    static @Nullable Instant min(@Nullable Instant a, @Nullable Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
