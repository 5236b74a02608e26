package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.schema.AppliedSchema;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Every CQL statement on the documents table, prepared once at start-up and run
 * asynchronously. Every statement names the full partition key (tenant, collection).
 *
 * <ul>
 *   <li>Reads: {@code consistency} (LOCAL_QUORUM), idempotent, so the driver may retry them on
 *       another node and run a speculative execution.</li>
 *   <li>Writes: all are lightweight transactions ({@code IF version = ?}, {@code IF version =
 *       null} for a create, {@code IF EXISTS}), Paxos at {@code serial-consistency}
 *       (LOCAL_SERIAL), commit at {@code consistency}; not idempotent, so never retried blindly.
 *       When a write's outcome is unknown (write timeout, CAS write unknown, client timeout or
 *       connection lost after sending) the row is read at
 *       SERIAL consistency, which completes or supersedes the in-flight Paxos round, and the
 *       row's {@code write_id} tells whether this write landed.</li>
 * </ul>
 */
@Singleton
final class DocumentRepository {

    private static final String COLUMNS = "id, version, created_at, updated_at, expires_at, body, write_id";

    private final CqlSession session;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectOneSerial;
    private final PreparedStatement create;
    private final PreparedStatement update;
    private final PreparedStatement deleteIfVersion;
    private final PreparedStatement deleteIfExists;
    private final PreparedStatement listPage;
    /** filteredPage.get(n - 1) filters on n entries. */
    private final List<PreparedStatement> filteredPage;

    DocumentRepository(CqlSession session, CassandraSettings settings, AppliedSchema schema,
                       DocumentLimits limits) {
        this.session = session;
        String table = schema.keyspace() + ".documents";
        String key = " WHERE tenant = ? AND collection = ? AND id = ?";
        this.selectOne = prepareRead(settings, "SELECT " + COLUMNS + " FROM " + table + key);
        this.selectOneSerial = session.prepare(SimpleStatement.builder("SELECT " + COLUMNS + " FROM " + table + key)
                .setConsistencyLevel(settings.serialConsistency())
                .setIdempotence(true)
                .build());
        String set = " SET version = ?, created_at = ?, updated_at = ?, expires_at = ?, body = ?, fields = ?,"
                + " write_id = ?";
        this.create = prepareWrite(settings, "UPDATE " + table + " USING TTL ?" + set + key + " IF version = null");
        this.update = prepareWrite(settings, "UPDATE " + table + " USING TTL ?" + set + key + " IF version = ?");
        this.deleteIfVersion = prepareWrite(settings, "DELETE FROM " + table + key + " IF version = ?");
        this.deleteIfExists = prepareWrite(settings, "DELETE FROM " + table + key + " IF EXISTS");
        String scope = " WHERE tenant = ? AND collection = ?";
        this.listPage = prepareRead(settings, "SELECT " + COLUMNS + " FROM " + table + scope
                + " AND id > ? LIMIT ?");
        List<PreparedStatement> filtered = new ArrayList<>();
        StringBuilder contains = new StringBuilder();
        for (int n = 1; n <= limits.maxFilters(); n++) {
            contains.append(" AND fields CONTAINS ?");
            filtered.add(prepareRead(settings, "SELECT " + COLUMNS + " FROM " + table + scope + contains
                    + " AND id > ? LIMIT ?"));
        }
        this.filteredPage = List.copyOf(filtered);
    }

    private PreparedStatement prepareRead(CassandraSettings settings, String cql) {
        return session.prepare(SimpleStatement.builder(cql)
                .setConsistencyLevel(settings.consistency())
                .setIdempotence(true)
                .build());
    }

    private PreparedStatement prepareWrite(CassandraSettings settings, String cql) {
        return session.prepare(SimpleStatement.builder(cql)
                .setConsistencyLevel(settings.consistency())
                .setSerialConsistencyLevel(settings.serialConsistency())
                .setIdempotence(false)
                .build());
    }

    CompletionStage<Optional<StoredDocument>> find(DocumentKey key) {
        return session.executeAsync(selectOne.bind(key.tenant(), key.collection(), key.id()))
                .thenApply(rows -> Optional.ofNullable(rows.one()).flatMap(DocumentRepository::stored));
    }

    /** Creates the document unless a live one has this id. */
    CompletionStage<CasOutcome> create(DocumentWriteRow row) {
        return cas(bindWrite(create, row), row.key(), resolveByWriteId(row.writeId()));
    }

    /** Writes the document if it is still at {@code expectedVersion}. */
    CompletionStage<CasOutcome> update(DocumentWriteRow row, long expectedVersion) {
        BoundStatement statement = bindWrite(update, row).setLong(11, expectedVersion);
        return cas(statement, row.key(), resolveByWriteId(row.writeId()));
    }

    /** Deletes the document if it exists and, when {@code expectedVersion} is set, is at that version. */
    CompletionStage<CasOutcome> delete(DocumentKey key, Long expectedVersion) {
        BoundStatement statement = expectedVersion == null
                ? deleteIfExists.bind(key.tenant(), key.collection(), key.id())
                : deleteIfVersion.bind(key.tenant(), key.collection(), key.id(), expectedVersion);
        // After an unknown outcome: gone means deleted (by us, or by a concurrent delete,
        // which is the same end state).
        return cas(statement, key, found -> found.isEmpty()
                ? CasOutcome.APPLIED : CasOutcome.rejected(found.get().version()));
    }

    /**
     * One page of a collection in id order, after {@code afterId}; when {@code entries} is not
     * empty, only documents carrying every entry (served by the SAI index on fields).
     */
    CompletionStage<List<StoredDocument>> page(String tenant, String collection, Set<String> entries,
                                               String afterId, int limit) {
        BoundStatement statement;
        if (entries.isEmpty()) {
            statement = listPage.bind(tenant, collection, afterId, limit);
        } else {
            List<Object> values = new ArrayList<>();
            values.add(tenant);
            values.add(collection);
            values.addAll(entries);
            values.add(afterId);
            values.add(limit);
            statement = filteredPage.get(entries.size() - 1).bind(values.toArray());
        }
        statement = statement.setPageSize(limit);
        return session.executeAsync(statement).thenApply(rows -> {
            List<StoredDocument> page = new ArrayList<>(limit);
            for (Row row : rows.currentPage()) {
                stored(row).ifPresent(page::add);
            }
            return page;
        });
    }

    private BoundStatement bindWrite(PreparedStatement statement, DocumentWriteRow row) {
        return statement.bind()
                .setInt(0, row.ttlSeconds())
                .setLong(1, row.version())
                .setInstant(2, row.createdAt())
                .setInstant(3, row.updatedAt())
                .setInstant(4, row.expiresAt())
                .setString(5, row.body())
                .setSet(6, row.fields(), String.class)
                .setUuid(7, row.writeId())
                .setString(8, row.key().tenant())
                .setString(9, row.key().collection())
                .setString(10, row.key().id());
    }

    private CompletionStage<CasOutcome> cas(BoundStatement statement, DocumentKey key,
                                            Function<Optional<StoredDocument>, CasOutcome> resolve) {
        return session.executeAsync(statement)
                .thenApply(DocumentRepository::outcome)
                .handle((outcome, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(outcome);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (outcomeUnknown(cause)) {
                        return session.executeAsync(selectOneSerial.bind(key.tenant(), key.collection(), key.id()))
                                .thenApply(rows -> resolve.apply(
                                        Optional.ofNullable(rows.one()).flatMap(DocumentRepository::stored)));
                    }
                    return CompletableFuture.<CasOutcome>failedFuture(cause);
                })
                .thenCompose(Function.identity());
    }

    /**
     * Failures after which the write may or may not have been applied: a server-side write
     * timeout or CAS-unknown, or the driver giving up (client timeout, connection lost) after
     * the request was sent. Failures before sending (no node available, unavailable) are not.
     */
    private static boolean outcomeUnknown(Throwable cause) {
        return cause instanceof WriteTimeoutException
                || cause instanceof CASWriteUnknownException
                || cause instanceof DriverTimeoutException
                || cause instanceof ClosedConnectionException
                || cause instanceof HeartbeatException;
    }

    private static Function<Optional<StoredDocument>, CasOutcome> resolveByWriteId(UUID writeId) {
        return found -> found.isPresent() && writeId.equals(found.get().writeId())
                ? CasOutcome.APPLIED
                : CasOutcome.rejected(found.map(StoredDocument::version).orElse(null));
    }

    private static CasOutcome outcome(AsyncResultSet result) {
        if (result.wasApplied()) {
            return CasOutcome.APPLIED;
        }
        Row row = result.one();
        boolean hasVersion = row != null && row.getColumnDefinitions().contains("version") && !row.isNull("version");
        return CasOutcome.rejected(hasVersion ? row.getLong("version") : null);
    }

    /** A row whose cells expired may still be returned with nulls: it does not exist. */
    private static Optional<StoredDocument> stored(Row row) {
        if (row.isNull("version") || row.isNull("body")) {
            return Optional.empty();
        }
        return Optional.of(new StoredDocument(
                row.getString("id"),
                row.getLong("version"),
                row.getInstant("created_at"),
                row.getInstant("updated_at"),
                row.getInstant("expires_at"),
                row.getString("body"),
                row.getUuid("write_id")));
    }
}
