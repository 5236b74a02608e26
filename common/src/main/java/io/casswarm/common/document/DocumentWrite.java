package io.casswarm.common.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * A create or replace sent to storage. {@code id} is set by the client or by gate (so a retried
 * create cannot make a duplicate); {@code body} must be a JSON object, checked by storage.
 */
@Introspected
public record DocumentWrite(
        @Nullable String id,
        @Nullable JsonNode body,
        @Nullable Integer ttlSeconds) {
}
