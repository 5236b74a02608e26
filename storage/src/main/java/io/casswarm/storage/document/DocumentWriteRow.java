package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Every cell of one document write (or of a delete marker, when {@code body} is null). A write
 * always sets every column of the document row and its index rows with the same TTL (0 =
 * none), so a replace also replaces the expiry and an expired document leaves no cells but its
 * write records. {@code idempotencyKey} and {@code fingerprint} are stored with the write, in
 * the same lightweight transaction.
 *
 * @param body         the body as stored: compact JSON text
 * @param bodyJson     the same body as the tree it was written from, for the answer
 * @param removedRows  index rows of the previous body that this one no longer has
 * @param prunedKeys   write records dropped to keep the row's record list short
 */
record DocumentWriteRow(
        DocumentKey key,
        long version,
        @Nullable Instant createdAt,
        Instant updatedAt,
        @Nullable Instant expiresAt,
        int ttlSeconds,
        @Nullable String body,
        @Nullable ObjectNode bodyJson,
        @Nullable IndexEntries index,
        List<String> removedRows,
        String idempotencyKey,
        String fingerprint,
        Set<String> prunedKeys) {

    boolean isDelete() {
        return body == null;
    }
}
