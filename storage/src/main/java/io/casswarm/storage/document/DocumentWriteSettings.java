package io.casswarm.storage.document;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How storage writes documents: its own tuning, not part of the contract. The limits of what
 * a client may send (names, sizes, page sizes...) are the contract's
 * ({@link io.casswarm.common.contract.Contract}), the same for gate and storage.
 *
 * @param bulkParallelism       bulk items written at the same time
 * @param maxWriteAttempts      read-then-conditional-write rounds of an unconditional replace,
 *                              patch or delete before giving up with 503 under heavy contention
 * @param idempotencyWindow     how long a document remembers the idempotency key of a write
 *                              applied to it (and a deleted document its delete marker): a
 *                              retry within it is answered as applied, never applied again
 * @param maxWriteRecords       most write records one document keeps (oldest dropped first)
 */
@ConfigurationProperties("casswarm.documents")
public record DocumentWriteSettings(
        @Bindable(defaultValue = "4") int bulkParallelism,
        @Bindable(defaultValue = "32") int maxWriteAttempts,
        @Bindable(defaultValue = "24h") Duration idempotencyWindow,
        @Bindable(defaultValue = "32") int maxWriteRecords) {
}
