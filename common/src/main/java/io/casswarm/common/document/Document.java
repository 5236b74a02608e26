package io.casswarm.common.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A stored document as storage returns it and gate passes it on. The version starts at 1 and
 * grows by one on every change; it is the document's ETag.
 */
@Introspected
public record Document(
        String id,
        String collection,
        long version,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant expiresAt,
        ObjectNode body) {
}
