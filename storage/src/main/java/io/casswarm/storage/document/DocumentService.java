package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.document.query.Projection;
import io.casswarm.common.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The rules of documents: what may be written, versions, conditional writes, idempotency keys,
 * and what "replace" means under races.
 *
 * <h2>Versions and races</h2>
 * Every change is a lightweight transaction conditional on the version it was computed from,
 * and writes version + 1. So versions of one document form a single line, and two writers can
 * never both be told they produced the same version.
 * <ul>
 *   <li>With {@code If-Match} (expected version): a stale version is 412 with the current one.</li>
 *   <li>Without it, replace, patch and delete read the current version and write conditionally
 *       on it, again (with a little jittered back-off) while other writers get in between. A
 *       patch is therefore always merged into the newest body: two concurrent patches both take
 *       effect.</li>
 * </ul>
 *
 * <h2>Idempotency keys</h2>
 * Every write carries a key (the client's, edge's, or one made here) and is stored with it, in
 * the same lightweight transaction, for {@code idempotency-window}. A write whose key the
 * document already holds was applied before (an earlier attempt whose answer was lost, or a
 * retry by edge, gate or the client): it is answered as applied and not applied again, even
 * when newer writes superseded it. The same key with a different request is 422. A deleted
 * document keeps a marker with its write records for the window, so a retried delete is 204
 * too. Server-chosen ids are derived from the key, so a retried create targets the same id.
 */
@Singleton
final class DocumentService {

    private final DocumentRepository repository;
    private final DocumentQueries queries;
    private final DocumentRules rules;
    private final ExecutorService blocking;
    private final LayoutMigration migration;

    DocumentService(DocumentRepository repository, DocumentQueries queries, DocumentRules rules,
                    @Named(TaskExecutors.BLOCKING) ExecutorService blocking, LayoutMigration migration) {
        this.repository = repository;
        this.migration = migration;
        this.queries = queries;
        this.rules = rules;
        this.blocking = blocking;
    }

    /** Outcome of one item of a bulk create: a document, or why not. */
    record BulkOutcome(@Nullable Document document, @Nullable Throwable failure) {
    }

    CompletionStage<Document> create(String tenant, String collection, DocumentWrite write, String key) {
        return create(createRow(tenant, collection, write, key), 1);
    }

    /**
     * The row a create writes, every input checked: without an id, the document's id is derived
     * from the write's idempotency key, so the same request sent again targets the same document.
     */
    private DocumentWriteRow createRow(String tenant, String collection, DocumentWrite write, String key) {
        rules.checkScope(tenant, collection);
        String id = write.id() == null ? IdempotencyKey.documentId(tenant, collection, key) : write.id();
        DocumentKey documentKey = rules.key(tenant, collection, id);
        String body = rules.bodyText(write.body());
        int ttl = rules.ttl(write.ttlSeconds());
        Instant now = now();
        IndexEntries index = IndexEntries.of(write.body());
        String fingerprint = DocumentRules.fingerprint("create", documentKey, null, write.ttlSeconds(), body);
        return new DocumentWriteRow(documentKey, 1, now, now, expiry(now, ttl), ttl, body, write.body(), index,
                List.of(), key, fingerprint, Set.of());
    }

    private CompletionStage<Document> create(DocumentWriteRow row, int attempt) {
        if (attempt == 1 && !migration.done()) {
            // Until the layout migration is done, an id may still live in v1 only.
            return migration.findV1(row.key()).thenCompose(v1 -> {
                if (v1.isPresent()) {
                    throw new DocumentExistsException(row.key().collection(), row.key().id());
                }
                return create(row, 2);
            });
        }
        return repository.create(row).thenCompose(outcome -> switch (outcome.kind()) {
            case APPLIED -> CompletableFuture.completedFuture(document(row));
            case RECORDED -> CompletableFuture.completedFuture(replay(row, outcome.current()));
            case REJECTED -> {
                StoredDocument current = outcome.current();
                if (current != null && current.live()) {
                    throw new DocumentExistsException(row.key().collection(), row.key().id());
                }
                // An unknown outcome resolved as "not written, and no document": try again.
                if (attempt >= rules.settings().maxWriteAttempts()) {
                    throw new WriteContentionException(row.key().id(), attempt);
                }
                yield later(attempt).thenCompose(ignored -> create(row, attempt + 1));
            }
        });
    }

    CompletionStage<Document> get(String tenant, String collection, String id, @Nullable String fields) {
        DocumentKey key = rules.key(tenant, collection, id);
        Projection projection = Projection.parse(fields);
        return find(key).thenApply(found -> found
                .filter(StoredDocument::live)
                .map(stored -> document(collection, stored, projection))
                .orElseThrow(() -> new DocumentNotFoundException(collection, id)));
    }

    CompletionStage<Document> replace(String tenant, String collection, String id, DocumentWrite write,
                                      @Nullable Long expectedVersion, String key) {
        DocumentKey documentKey = rules.key(tenant, collection, id);
        if (write.id() != null && !write.id().equals(id)) {
            throw InvalidDocumentException.invalid("id in the body differs from the id in the path");
        }
        String body = rules.bodyText(write.body());
        int ttl = rules.ttl(write.ttlSeconds());
        IndexEntries index = IndexEntries.of(write.body());
        String fingerprint = DocumentRules.fingerprint("replace", documentKey, expectedVersion, write.ttlSeconds(), body);
        return change(documentKey, expectedVersion, key, fingerprint, current -> {
            Instant now = now();
            return new DocumentWriteRow(documentKey, current.version() + 1, current.createdAt(), now,
                    expiry(now, ttl), ttl, body, write.body(), index, removedRows(current, index), key, fingerprint,
                    pruned(current));
        }, 1);
    }

    CompletionStage<Document> patch(String tenant, String collection, String id, @Nullable ObjectNode patch,
                                    @Nullable Long expectedVersion, String key) {
        DocumentKey documentKey = rules.key(tenant, collection, id);
        if (patch == null || !patch.isObject()) {
            throw InvalidDocumentException.invalid("a merge patch must be a JSON object (a document body stays an object)");
        }
        String patchText = rules.bodyText(patch);
        String fingerprint = DocumentRules.fingerprint("patch", documentKey, expectedVersion, null, patchText);
        return change(documentKey, expectedVersion, key, fingerprint, current -> {
            ObjectNode merged = (ObjectNode) JsonMergePatch.apply(rules.parse(current.body()), patch);
            String body = rules.bodyText(merged);
            Instant now = now();
            // A patch keeps the document's expiry: the remaining TTL, rounded up.
            int ttl = 0;
            if (current.expiresAt() != null) {
                ttl = (int) Math.max(1, (current.expiresAt().toEpochMilli() - now.toEpochMilli() + 999) / 1000);
            }
            IndexEntries index = IndexEntries.of(merged);
            return new DocumentWriteRow(documentKey, current.version() + 1, current.createdAt(), now,
                    current.expiresAt(), ttl, body, merged, index, removedRows(current, index), key, fingerprint,
                    pruned(current));
        }, 1);
    }

    CompletionStage<Void> delete(String tenant, String collection, String id, @Nullable Long expectedVersion,
                                 String key) {
        DocumentKey documentKey = rules.key(tenant, collection, id);
        String fingerprint = DocumentRules.fingerprint("delete", documentKey, expectedVersion, null, null);
        return delete(documentKey, expectedVersion, key, fingerprint, 1);
    }

    private CompletionStage<Void> delete(DocumentKey key, @Nullable Long expectedVersion, String idempotencyKey,
                                         String fingerprint, int attempt) {
        return find(key).thenCompose(found -> {
            StoredDocument current = found.orElse(null);
            if (recorded(current, idempotencyKey, fingerprint, key)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (current == null || !current.live()) {
                throw new DocumentNotFoundException(key.collection(), key.id());
            }
            if (expectedVersion != null && current.version() != expectedVersion) {
                throw new VersionMismatchException(expectedVersion, current.version());
            }
            Instant now = now();
            int window = (int) rules.settings().idempotencyWindow().toSeconds();
            DocumentWriteRow marker = new DocumentWriteRow(key, current.version() + 1, null, now, null, window,
                    null, null, null, List.of(), idempotencyKey, fingerprint, pruned(current));
            return repository.markDeleted(marker, current).thenCompose(outcome -> {
                if (outcome.kind() == WriteOutcome.Kind.APPLIED && current.legacy()) {
                    migration.forgetV1(key);
                }
                if (outcome.kind() == WriteOutcome.Kind.APPLIED
                        || recorded(outcome.current(), idempotencyKey, fingerprint, key)) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                StoredDocument now2 = outcome.current();
                if (now2 == null || !now2.live()) {
                    throw new DocumentNotFoundException(key.collection(), key.id());
                }
                boolean unchanged = now2.version() == current.version();
                if (expectedVersion != null && !unchanged) {
                    throw new VersionMismatchException(expectedVersion, now2.version());
                }
                if (attempt >= rules.settings().maxWriteAttempts()) {
                    throw new WriteContentionException(key.id(), attempt);
                }
                return later(attempt).thenCompose(ignored ->
                        delete(key, expectedVersion, idempotencyKey, fingerprint, attempt + 1));
            });
        });
    }

    /** A page of a collection, filtered and projected; see {@link DocumentQueries}. */
    CompletionStage<DocumentQueries.Page> list(String tenant, String collection, DocumentQuery query) {
        rules.checkScope(tenant, collection);
        query.check();
        int size = Contract.pageSize(query.limit());
        DocumentQueries.decode(query.cursor());
        return CompletableFuture.supplyAsync(() -> queries.run(DocumentKey.scope(tenant, collection), query, size),
                blocking);
    }

    DocumentPage page(String collection, DocumentQueries.Page page, @Nullable List<String> fields) {
        Projection projection = fields == null ? null : Projection.of(fields);
        List<Document> items = new ArrayList<>(page.documents().size());
        for (StoredDocument stored : page.documents()) {
            items.add(document(collection, stored, projection));
        }
        return new DocumentPage(items, page.nextCursor());
    }

    /**
     * Creates each document independently, a few at a time, and reports each outcome in
     * request order; one item's failure (409 exists, 422 key reused, 503) never affects another.
     * Every item is checked first: one that breaks the contract (a bad id or body, an id twice)
     * refuses the whole request, 400 or 413 naming it, and nothing is written. Item {@code i}
     * carries the key {@code key#i}, so a retried bulk request replays item by item.
     */
    CompletionStage<List<BulkOutcome>> bulkCreate(String tenant, String collection,
                                                  @Nullable List<DocumentWrite> writes, String key) {
        rules.checkScope(tenant, collection);
        Contract.bulkSize(writes == null ? 0 : writes.size());
        List<DocumentWriteRow> rows = new ArrayList<>(writes.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < writes.size(); i++) {
            String where = "documents[" + i + "]";
            DocumentWrite write = writes.get(i);
            if (write == null) {
                throw InvalidDocumentException.invalid(where + " must be an object");
            }
            DocumentWriteRow row;
            try {
                row = createRow(tenant, collection, write, IdempotencyKey.itemKey(key, i));
            } catch (ProblemException e) {
                throw new ProblemException(e.problem().withDetail(where + ": " + e.problem().detail()));
            }
            if (!ids.add(row.key().id())) {
                throw InvalidDocumentException.invalid(where + ".id " + row.key().id() + " repeats an id of this request");
            }
            rows.add(row);
        }
        BulkOutcome[] outcomes = new BulkOutcome[rows.size()];
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(rules.settings().bulkParallelism(), rows.size()); w++) {
            workers.add(bulkWorker(rows, outcomes, next));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenApply(done -> Arrays.asList(outcomes));
    }

    private CompletableFuture<Void> bulkWorker(List<DocumentWriteRow> rows, BulkOutcome[] outcomes, AtomicInteger next) {
        int index = next.getAndIncrement();
        if (index >= rows.size()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Document> created;
        try {
            created = create(rows.get(index), 1);
        } catch (RuntimeException e) {
            created = CompletableFuture.failedFuture(e);
        }
        return created.handle((document, failure) -> {
                    outcomes[index] = new BulkOutcome(document, unwrap(failure));
                    return (Void) null;
                })
                .thenCompose(ignored -> bulkWorker(rows, outcomes, next))
                .toCompletableFuture();
    }

    /** Read, compute the new row, write conditionally; again while other writers get in between. */
    private CompletionStage<Document> change(DocumentKey key, @Nullable Long expectedVersion, String idempotencyKey,
                                             String fingerprint, Function<StoredDocument, DocumentWriteRow> compute,
                                             int attempt) {
        return find(key).thenCompose(found -> {
            StoredDocument current = found.orElse(null);
            if (recorded(current, idempotencyKey, fingerprint, key)) {
                return CompletableFuture.completedFuture(replayed(key, current, idempotencyKey));
            }
            if (current == null || !current.live()) {
                throw new DocumentNotFoundException(key.collection(), key.id());
            }
            if (expectedVersion != null && current.version() != expectedVersion) {
                throw new VersionMismatchException(expectedVersion, current.version());
            }
            DocumentWriteRow row = compute.apply(current);
            return repository.update(row, current).thenCompose(outcome -> {
                if (outcome.kind() == WriteOutcome.Kind.APPLIED) {
                    if (current.legacy()) {
                        migration.forgetV1(key);
                    }
                    return CompletableFuture.completedFuture(document(row));
                }
                if (outcome.kind() == WriteOutcome.Kind.RECORDED) {
                    return CompletableFuture.completedFuture(replay(row, outcome.current()));
                }
                StoredDocument now = outcome.current();
                if (now == null || !now.live()) {
                    throw new DocumentNotFoundException(key.collection(), key.id());
                }
                // Still at the version this write was computed from: it did not land (an unknown
                // outcome resolved), so the same write may go again. Otherwise someone else's did.
                boolean unchanged = now.version() == current.version();
                if (expectedVersion != null && !unchanged) {
                    throw new VersionMismatchException(expectedVersion, now.version());
                }
                if (attempt >= rules.settings().maxWriteAttempts()) {
                    throw new WriteContentionException(key.id(), attempt);
                }
                return later(attempt).thenCompose(ignored ->
                        change(key, expectedVersion, idempotencyKey, fingerprint, compute, attempt + 1));
            });
        });
    }

    /**
     * Whether the row holds this key: true when this very request was applied before; 422 when
     * the key came with a different request.
     */
    private static boolean recorded(@Nullable StoredDocument current, String idempotencyKey, String fingerprint,
                                    DocumentKey key) {
        if (current == null) {
            return false;
        }
        AppliedWrite write = current.writes().get(idempotencyKey);
        if (write == null) {
            return false;
        }
        if (!write.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReusedException(key.id());
        }
        return true;
    }

    /** The answer to a write found applied by its key: the document it produced, as far as it still exists. */
    private Document replay(DocumentWriteRow row, @Nullable StoredDocument current) {
        if (!recorded(current, row.idempotencyKey(), row.fingerprint(), row.key())) {
            throw new IllegalStateException("replay without a record");
        }
        AppliedWrite write = current.writes().get(row.idempotencyKey());
        if (current.live() && current.version() == write.version()) {
            return document(row.key().collection(), current, null);
        }
        if (row.body() != null && row.version() == write.version()) {
            return document(row);
        }
        return replayed(row.key(), current, row.idempotencyKey());
    }

    /**
     * A write applied earlier and superseded since: the current document when there is one
     * (its version is newer), otherwise the version the write produced with the body it had.
     */
    private Document replayed(DocumentKey key, StoredDocument current, String idempotencyKey) {
        AppliedWrite write = current.writes().get(idempotencyKey);
        if (current.live()) {
            return document(key.collection(), current, null);
        }
        return new Document(key.id(), key.collection(), write.version(), write.at(), write.at(), null,
                rules.parse("{}"));
    }

    /** The v2 row of a document; during the layout migration, its v1 row when it has no v2 row yet. */
    private CompletionStage<java.util.Optional<StoredDocument>> find(DocumentKey key) {
        return repository.find(key).thenCompose(found -> found.isPresent() || migration.done()
                ? CompletableFuture.completedFuture(found)
                : migration.findV1(key));
    }

    private Set<String> pruned(StoredDocument current) {
        return DocumentRepository.prune(current.writes(), rules.settings().maxWriteRecords());
    }

    private List<String> removedRows(StoredDocument current, IndexEntries next) {
        return IndexEntries.removedRows(IndexEntries.of(rules.parse(current.body())), next);
    }

    /** Jittered back-off before the next attempt, growing to ~50 ms: spreads contending writers. */
    private static CompletionStage<Void> later(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, Math.min(50, 2L << Math.min(attempt, 5)) + 1);
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    /** The document a write produced, with the body it was computed from (no second parse). */
    private Document document(DocumentWriteRow row) {
        return new Document(row.key().id(), row.key().collection(), row.version(), row.createdAt(),
                row.updatedAt(), row.expiresAt(), row.bodyJson());
    }

    private Document document(String collection, StoredDocument stored, @Nullable Projection projection) {
        ObjectNode body = rules.parse(stored.body());
        return new Document(stored.id(), collection, stored.version(), stored.createdAt(), stored.updatedAt(),
                stored.expiresAt(), projection == null ? body : projection.apply(body));
    }

    private static Instant expiry(Instant now, int ttl) {
        return ttl == 0 ? null : now.plusSeconds(ttl);
    }

    /** Cassandra timestamps hold milliseconds: the API shows what is stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
