package io.casswarm.storage.document;

import java.time.Instant;

/**
 * What a document row remembers of one write applied to it, under the write's idempotency key
 * (column {@code writes}, each entry living {@code casswarm.documents.idempotency-window}).
 *
 * @param fingerprint hash of the request that carried the key (a different request with the same key is 422)
 * @param version     the version the write produced
 * @param at          when it was applied
 */
record AppliedWrite(String fingerprint, long version, Instant at) {
}
