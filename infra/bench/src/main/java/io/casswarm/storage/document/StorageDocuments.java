package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.schema.AppliedSchema;
import io.micronaut.context.ApplicationContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The benchmark's door into storage's document layer, run inside storage's image on storage's
 * own jar (this class sits in storage's package only to reach its package-private service; it
 * is part of infra/bench, not of storage). Two ways to run the workload's operations on the
 * ring, both without HTTP:
 * <ul>
 *   <li><b>lwt-cql</b>: storage's {@link DocumentService} itself: the reads, the read before a
 *       patch, the merge, and the conditional batches ({@code IF body = null}, {@code IF version
 *       = ?}: one Paxos round each) with their write records and index rows, exactly the CQL
 *       storage runs for a request.</li>
 *   <li><b>plain-cql</b>, the floor: the same statements of {@link DocumentRepository} (same
 *       table, same columns, write record and index rows in one single-partition batch)
 *       without their conditions, so no Paxos: what the ring costs for this shape of data.</li>
 * </ul>
 */
public final class StorageDocuments {

    private static final String KEY = " WHERE scope = ? AND id = ? AND entry = ''";

    private final DocumentService service;
    private final DocumentRepository repository;
    private final DocumentRules rules;
    private final CqlSession session;
    private final CassandraSettings settings;
    private final String keyspace;
    private final PreparedStatement plainDocument;
    private final PreparedStatement recordWrite;
    private final PreparedStatement upsertFieldRow;
    private final PreparedStatement deleteFieldRow;
    private final UserDefinedType appliedWriteType;

    public StorageDocuments(ApplicationContext context) {
        this.service = context.getBean(DocumentService.class);
        this.repository = context.getBean(DocumentRepository.class);
        this.rules = context.getBean(DocumentRules.class);
        this.session = context.getBean(CqlSession.class);
        this.settings = context.getBean(CassandraSettings.class);
        this.keyspace = context.getBean(AppliedSchema.class).keyspace();
        String table = keyspace + "." + DocumentRepository.TABLE;
        this.plainDocument = session.prepare("UPDATE " + table + " USING TTL ? SET listed = ?, version = ?, created_at = ?,"
                + " updated_at = ?, expires_at = ?, deleted_at = null, body = ?, eqs = ?, paths = ?" + KEY);
        this.recordWrite = session.prepare("UPDATE " + table + " USING TTL ? SET writes[?] = ?" + KEY);
        this.upsertFieldRow = session.prepare("UPDATE " + table + " USING TTL ? SET field = ?, num = ?, str = ?, ts = ?"
                + " WHERE scope = ? AND id = ? AND entry = ?");
        this.deleteFieldRow = session.prepare("DELETE FROM " + table + " WHERE scope = ? AND id = ? AND entry = ?");
        this.appliedWriteType = (UserDefinedType) recordWrite.getVariableDefinitions().get(2).getType();
    }

    /** Whether storage's layout migration is done (then no operation reads layout v1). */
    public static boolean layoutMigrationDone(ApplicationContext context) {
        return context.getBean(LayoutMigration.class).done();
    }

    public ObjectNode parse(String json) {
        return rules.parse(json);
    }

    // ---- lwt-cql: storage's document service -----------------------------------------

    public CompletionStage<?> lwtRead(String tenant, String collection, String id) {
        return service.get(tenant, collection, id, null);
    }

    public CompletionStage<?> lwtPatch(String tenant, String collection, String id, ObjectNode patch) {
        return service.patch(tenant, collection, id, patch, null, UUID.randomUUID().toString());
    }

    public CompletionStage<?> lwtCreate(String tenant, String collection, String id, ObjectNode body, int ttlSeconds) {
        return service.create(tenant, collection, new DocumentWrite(id, body, ttlSeconds), UUID.randomUUID().toString());
    }

    // ---- plain-cql: the same statements without conditions -----------------------------

    public CompletionStage<?> plainRead(String tenant, String collection, String id) {
        DocumentKey key = rules.key(tenant, collection, id);
        return repository.find(key).thenApply(found -> found.filter(StoredDocument::live)
                .orElseThrow(() -> new DocumentNotFoundException(collection, id)));
    }

    /** Read, merge, write version + 1: storage's patch without the condition on the version. */
    public CompletionStage<?> plainPatch(String tenant, String collection, String id, JsonNode patch) {
        DocumentKey key = rules.key(tenant, collection, id);
        return repository.find(key).thenCompose(found -> {
            StoredDocument current = found.filter(StoredDocument::live)
                    .orElseThrow(() -> new DocumentNotFoundException(collection, id));
            JsonNode merged = JsonMergePatch.apply(rules.parse(current.body()), patch);
            Instant now = now();
            int ttl = current.expiresAt() == null ? 0
                    : (int) Math.max(1, (current.expiresAt().toEpochMilli() - now.toEpochMilli() + 999) / 1000);
            IndexEntries index = IndexEntries.of(merged);
            List<String> removed = IndexEntries.removedRows(IndexEntries.of(rules.parse(current.body())), index);
            return write(key, current.version() + 1, current.createdAt(), now, current.expiresAt(), ttl,
                    rules.bodyText(merged), index, removed);
        });
    }

    public CompletionStage<?> plainCreate(String tenant, String collection, String id, JsonNode body, int ttlSeconds) {
        DocumentKey key = rules.key(tenant, collection, id);
        Instant now = now();
        return write(key, 1, now, now, ttlSeconds == 0 ? null : now.plusSeconds(ttlSeconds), ttlSeconds,
                rules.bodyText(body), IndexEntries.of(body), List.of());
    }

    private CompletionStage<?> write(DocumentKey key, long version, Instant createdAt, Instant updatedAt, Instant expiresAt,
                                     int ttl, String body, IndexEntries index, List<String> removed) {
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                .setConsistencyLevel(settings.consistency())
                .setIdempotence(false);
        batch.addStatement(plainDocument.bind()
                .setInt(0, ttl)
                .setString(1, key.scope())
                .setLong(2, version)
                .setInstant(3, createdAt)
                .setInstant(4, updatedAt)
                .setInstant(5, expiresAt)
                .setString(6, body)
                .setSet(7, index.eqs(), String.class)
                .setSet(8, index.paths(), String.class)
                .setString(9, key.scope())
                .setString(10, key.id()));
        UdtValue record = appliedWriteType.newValue("bench", version, updatedAt);
        batch.addStatement(recordWrite.bind((int) rules.settings().idempotencyWindow().toSeconds(),
                UUID.randomUUID().toString(), record, key.scope(), key.id()));
        for (String row : removed) {
            batch.addStatement(deleteFieldRow.bind(key.scope(), key.id(), row));
        }
        for (IndexEntries.FieldRow field : index.rows().values()) {
            BoundStatement statement = upsertFieldRow.bind()
                    .setInt(0, ttl)
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
        return session.executeAsync(batch.build());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** For the results file: the keyspace and the consistency the operations run at. */
    public String describe() {
        return "keyspace " + keyspace + ", consistency " + settings.consistency() + ", serial " + settings.serialConsistency();
    }
}
