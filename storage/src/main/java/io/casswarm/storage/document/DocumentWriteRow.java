package io.casswarm.storage.document;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Every column of one document write. A write always sets every column, with the same TTL
 * (0 = none), so a replace also replaces the expiry, and an expired document leaves no cells.
 * {@code writeId} is unique per write: it tells whether a write whose outcome was unknown landed.
 */
record DocumentWriteRow(
        DocumentKey key,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        int ttlSeconds,
        String body,
        Set<String> fields,
        UUID writeId) {
}
