package io.casswarm.storage.document;

import java.time.Instant;
import java.util.UUID;

/** A documents row as read, body still JSON text. */
record StoredDocument(
        String id,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        String body,
        UUID writeId) {
}
