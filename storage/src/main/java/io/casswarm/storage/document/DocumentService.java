package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The rules of documents: what may be written, versions, conditional writes, and what
 * "replace" means under races.
 *
 * <h2>Versions and races</h2>
 * Every change is a lightweight transaction conditional on the version it was computed from,
 * and writes version + 1. So versions of one document form a single line, and two writers can
 * never both be told they produced the same version.
 * <ul>
 *   <li>With {@code If-Match} (expected version): one attempt; a stale version is 412 with
 *       the current version.</li>
 *   <li>Without it, replace and patch read the current version and write conditionally on it,
 *       retrying (with a little jittered back-off) while other writers get in between. A patch
 *       is therefore always merged into the newest body: two concurrent patches both take
 *       effect. A replace is ordered after every write it raced with and reports the version
 *       it produced; it replaces the whole body by definition, and a client that must not
 *       overwrite a change it has not seen sends {@code If-Match}. No write is ever lost
 *       silently in the sense of being acknowledged and then vanishing without a newer
 *       version existing.</li>
 * </ul>
 */
@Singleton
final class DocumentService {

    private final DocumentRepository repository;
    private final DocumentRules rules;

    DocumentService(DocumentRepository repository, DocumentRules rules) {
        this.repository = repository;
        this.rules = rules;
    }

    /** Outcome of one item of a bulk create: a document, or why not. */
    record BulkOutcome(@Nullable Document document, @Nullable Throwable failure) {
    }

    CompletionStage<Document> create(String tenant, String collection, DocumentWrite write) {
        String id = write.id() == null ? UUID.randomUUID().toString() : write.id();
        DocumentKey key = rules.key(tenant, collection, id);
        String body = rules.bodyText(write.body());
        int ttl = rules.ttl(write.ttlSeconds());
        Instant now = now();
        DocumentWriteRow row = new DocumentWriteRow(key, 1, now, now, expiry(now, ttl), ttl, body,
                rules.fieldEntries(write.body()), UUID.randomUUID());
        return create(row, 1);
    }

    private CompletionStage<Document> create(DocumentWriteRow row, int attempt) {
        return repository.create(row).thenCompose(outcome -> {
            if (outcome.applied()) {
                return CompletableFuture.completedFuture(document(row));
            }
            if (outcome.currentVersion() != null) {
                throw new DocumentExistsException(row.key().collection(), row.key().id());
            }
            // Only after an unknown outcome resolved as "not written, and no document": try again.
            if (attempt >= rules.limits().maxWriteAttempts()) {
                throw new WriteContentionException(row.key().id(), attempt);
            }
            return later(attempt).thenCompose(ignored -> create(row, attempt + 1));
        });
    }

    CompletionStage<Document> get(String tenant, String collection, String id) {
        DocumentKey key = rules.key(tenant, collection, id);
        return repository.find(key).thenApply(found -> found
                .map(stored -> document(collection, stored))
                .orElseThrow(() -> new DocumentNotFoundException(collection, id)));
    }

    CompletionStage<Document> replace(String tenant, String collection, String id, DocumentWrite write,
                                      @Nullable Long expectedVersion) {
        DocumentKey key = rules.key(tenant, collection, id);
        if (write.id() != null && !write.id().equals(id)) {
            throw InvalidDocumentException.invalid("id in the body differs from the id in the path");
        }
        String body = rules.bodyText(write.body());
        int ttl = rules.ttl(write.ttlSeconds());
        Set<String> fields = rules.fieldEntries(write.body());
        return change(key, expectedVersion, current -> {
            Instant now = now();
            return new DocumentWriteRow(key, current.version() + 1, current.createdAt(), now, expiry(now, ttl),
                    ttl, body, fields, UUID.randomUUID());
        }, 1);
    }

    CompletionStage<Document> patch(String tenant, String collection, String id, @Nullable JsonNode patch,
                                    @Nullable Long expectedVersion) {
        DocumentKey key = rules.key(tenant, collection, id);
        if (patch == null || !patch.isObject()) {
            throw InvalidDocumentException.invalid("a merge patch must be a JSON object (a document body stays an object)");
        }
        rules.bodyText(patch);
        return change(key, expectedVersion, current -> {
            JsonNode merged = JsonMergePatch.apply(rules.parse(current.body()), patch);
            String body = rules.bodyText(merged);
            Instant now = now();
            // A patch keeps the document's expiry: the remaining TTL, rounded up.
            int ttl = 0;
            if (current.expiresAt() != null) {
                ttl = (int) Math.max(1, (current.expiresAt().toEpochMilli() - now.toEpochMilli() + 999) / 1000);
            }
            return new DocumentWriteRow(key, current.version() + 1, current.createdAt(), now,
                    current.expiresAt(), ttl, body, rules.fieldEntries(merged), UUID.randomUUID());
        }, 1);
    }

    CompletionStage<Void> delete(String tenant, String collection, String id, @Nullable Long expectedVersion) {
        DocumentKey key = rules.key(tenant, collection, id);
        return repository.delete(key, expectedVersion).thenApply(outcome -> {
            if (outcome.applied()) {
                return null;
            }
            if (outcome.currentVersion() == null) {
                throw new DocumentNotFoundException(collection, id);
            }
            throw new VersionMismatchException(expectedVersion, outcome.currentVersion());
        });
    }

    CompletionStage<DocumentPage> list(String tenant, String collection, @Nullable String limit,
                                       @Nullable String cursor, Map<String, String> filters) {
        rules.checkScope(tenant, collection);
        int size = rules.pageSize(limit);
        String after = rules.afterId(cursor);
        Set<String> entries = rules.filterEntries(filters);
        // One more than asked: tells whether there is a next page without an empty last page.
        return repository.page(tenant, collection, entries, after, size + 1).thenApply(rows -> {
            List<Document> items = new ArrayList<>(Math.min(rows.size(), size));
            for (int i = 0; i < rows.size() && i < size; i++) {
                items.add(document(collection, rows.get(i)));
            }
            String next = rows.size() > size ? rules.cursorAfter(items.get(items.size() - 1).id()) : null;
            return new DocumentPage(items, next);
        });
    }

    /**
     * Creates each document independently, a few at a time, and reports each outcome in
     * request order; one item's failure never affects another.
     */
    CompletionStage<List<BulkOutcome>> bulkCreate(String tenant, String collection,
                                                  @Nullable List<DocumentWrite> writes) {
        rules.checkScope(tenant, collection);
        if (writes == null || writes.isEmpty()) {
            throw InvalidDocumentException.invalid("documents must list 1 to " + rules.limits().maxBulkItems()
                    + " documents");
        }
        if (writes.size() > rules.limits().maxBulkItems()) {
            throw InvalidDocumentException.invalid("at most " + rules.limits().maxBulkItems()
                    + " documents per bulk request, got " + writes.size());
        }
        BulkOutcome[] outcomes = new BulkOutcome[writes.size()];
        // Items run in parallel: an id repeated in one request would race with itself, so the
        // first occurrence is the one written and the later ones are 409 at once.
        Set<String> ids = new HashSet<>();
        boolean[] repeated = new boolean[writes.size()];
        for (int i = 0; i < writes.size(); i++) {
            DocumentWrite write = writes.get(i);
            repeated[i] = write != null && write.id() != null && !ids.add(write.id());
        }
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(rules.limits().bulkParallelism(), writes.size()); w++) {
            workers.add(bulkWorker(tenant, collection, writes, repeated, outcomes, next));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenApply(done -> Arrays.asList(outcomes));
    }

    private CompletableFuture<Void> bulkWorker(String tenant, String collection, List<DocumentWrite> writes,
                                               boolean[] repeated, BulkOutcome[] outcomes, AtomicInteger next) {
        int index = next.getAndIncrement();
        if (index >= writes.size()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Document> created;
        DocumentWrite write = writes.get(index);
        try {
            if (write == null) {
                created = CompletableFuture.failedFuture(InvalidDocumentException.invalid("document must not be null"));
            } else if (repeated[index]) {
                created = CompletableFuture.failedFuture(new DocumentExistsException(collection, write.id()));
            } else {
                created = create(tenant, collection, write);
            }
        } catch (RuntimeException e) {
            created = CompletableFuture.failedFuture(e);
        }
        return created.handle((document, failure) -> {
                    outcomes[index] = new BulkOutcome(document, unwrap(failure));
                    return (Void) null;
                })
                .thenCompose(ignored -> bulkWorker(tenant, collection, writes, repeated, outcomes, next))
                .toCompletableFuture();
    }

    /** Read, compute the new row, write conditionally; again while other writers get in between. */
    private CompletionStage<Document> change(DocumentKey key, @Nullable Long expectedVersion,
                                             Function<StoredDocument, DocumentWriteRow> compute, int attempt) {
        return repository.find(key).thenCompose(found -> {
            StoredDocument current = found.orElseThrow(
                    () -> new DocumentNotFoundException(key.collection(), key.id()));
            if (expectedVersion != null && current.version() != expectedVersion) {
                throw new VersionMismatchException(expectedVersion, current.version());
            }
            DocumentWriteRow row = compute.apply(current);
            return repository.update(row, current.version()).thenCompose(outcome -> {
                if (outcome.applied()) {
                    return CompletableFuture.completedFuture(document(row));
                }
                if (outcome.currentVersion() == null) {
                    throw new DocumentNotFoundException(key.collection(), key.id());
                }
                boolean ourWriteDidNotLand = outcome.currentVersion() == current.version();
                if (expectedVersion != null && !ourWriteDidNotLand) {
                    throw new VersionMismatchException(expectedVersion, outcome.currentVersion());
                }
                if (attempt >= rules.limits().maxWriteAttempts()) {
                    throw new WriteContentionException(key.id(), attempt);
                }
                return later(attempt).thenCompose(ignored -> change(key, expectedVersion, compute, attempt + 1));
            });
        });
    }

    /** Jittered back-off before the next attempt, growing to ~50 ms: spreads contending writers. */
    private static CompletionStage<Void> later(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, Math.min(50, 2L << Math.min(attempt, 5)) + 1);
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    private Document document(DocumentWriteRow row) {
        return new Document(row.key().id(), row.key().collection(), row.version(), row.createdAt(),
                row.updatedAt(), row.expiresAt(), rules.parse(row.body()));
    }

    private Document document(String collection, StoredDocument stored) {
        ObjectNode body = rules.parse(stored.body());
        return new Document(stored.id(), collection, stored.version(), stored.createdAt(), stored.updatedAt(),
                stored.expiresAt(), body);
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
