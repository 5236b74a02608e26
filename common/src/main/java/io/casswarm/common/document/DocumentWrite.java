package io.casswarm.common.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * A document to create or replace, as an item of a bulk create and as the body gate sends
 * storage. {@code id} is the client's; without one, storage derives it from the write's
 * idempotency key (so a retried create cannot make a duplicate). Every rule
 * ({@link io.casswarm.common.contract.Contract}) is checked by storage.
 *
 * @param id         the document's id (create only; a replace takes it from the path)
 * @param body       the document, a JSON object
 * @param ttlSeconds seconds until it expires; none when absent
 */
@Introspected
public record DocumentWrite(
        @Nullable String id,
        @Nullable ObjectNode body,
        @Nullable Integer ttlSeconds) {
}
