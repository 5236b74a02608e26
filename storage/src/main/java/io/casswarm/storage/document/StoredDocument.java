package io.casswarm.storage.document;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * A document row as read, body still JSON text. A delete leaves a marker (body null,
 * {@code deletedAt} set) for the idempotency window, so a retried delete is recognised; a
 * row whose cells expired has no body either. Neither is a document.
 *
 * @param legacy read from layout v1 during the layout migration: the document has no v2 row
 *               yet, and a write to it creates one ({@link LayoutMigration})
 */
record StoredDocument(
        String id,
        long version,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt,
        @Nullable Instant expiresAt,
        @Nullable Instant deletedAt,
        @Nullable String body,
        Map<String, AppliedWrite> writes,
        boolean legacy) {

    boolean live() {
        return body != null && deletedAt == null;
    }
}
