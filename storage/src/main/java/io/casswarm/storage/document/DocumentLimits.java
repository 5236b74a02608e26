package io.casswarm.storage.document;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The limits storage enforces on every document request; each broken limit is a 4xx
 * problem+json that changes nothing. What a query may ask is ruled by the shared model
 * ({@link io.casswarm.common.document.query.DocumentQuery#check()}).
 *
 * @param maxBodyBytes          largest body, as compact UTF-8 JSON (413 above)
 * @param maxDepth              deepest nesting of objects and arrays in a body
 * @param defaultPageSize       page size of a listing without {@code limit}
 * @param maxPageSize           largest {@code limit} of a listing
 * @param maxBulkItems          most documents in one bulk create
 * @param bulkParallelism       bulk items written at the same time
 * @param maxTtlSeconds         longest TTL (Cassandra's own maximum is 20 years)
 * @param tenantPattern         what a tenant (username) looks like
 * @param collectionPattern     what a collection name looks like
 * @param idPattern             what a document id looks like
 * @param maxFilterValueLength  longest string value that is indexed for filtering
 * @param maxIndexedFields      most paths of one document indexed for filtering
 * @param maxWriteAttempts      read-then-conditional-write rounds of an unconditional replace,
 *                              patch or delete before giving up with 503 under heavy contention
 * @param idempotencyWindow     how long a document remembers the idempotency key of a write
 *                              applied to it (and a deleted document its delete marker): a
 *                              retry within it is answered as applied, never applied again
 * @param maxWriteRecords       most write records one document keeps (oldest dropped first)
 */
@ConfigurationProperties("casswarm.documents")
public record DocumentLimits(
        @Bindable(defaultValue = "1048576") int maxBodyBytes,
        @Bindable(defaultValue = "32") int maxDepth,
        @Bindable(defaultValue = "50") int defaultPageSize,
        @Bindable(defaultValue = "1000") int maxPageSize,
        @Bindable(defaultValue = "100") int maxBulkItems,
        @Bindable(defaultValue = "4") int bulkParallelism,
        @Bindable(defaultValue = "630720000") int maxTtlSeconds,
        @Bindable(defaultValue = "[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}") String tenantPattern,
        @Bindable(defaultValue = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}") String collectionPattern,
        @Bindable(defaultValue = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}") String idPattern,
        @Bindable(defaultValue = "256") int maxFilterValueLength,
        @Bindable(defaultValue = "64") int maxIndexedFields,
        @Bindable(defaultValue = "32") int maxWriteAttempts,
        @Bindable(defaultValue = "24h") Duration idempotencyWindow,
        @Bindable(defaultValue = "32") int maxWriteRecords) {
}
