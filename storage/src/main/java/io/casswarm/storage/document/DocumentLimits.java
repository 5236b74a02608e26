package io.casswarm.storage.document;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The limits storage enforces on every document request; each broken limit is a 4xx
 * problem+json that changes nothing.
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
 * @param fieldPattern          top-level field names that can be filtered on
 * @param maxFilters            most {@code filter.*} parameters in one listing
 * @param maxFilterValueLength  longest scalar value that is indexed for filtering
 * @param maxIndexedFields      most top-level fields of one document indexed for filtering
 * @param maxWriteAttempts      read-then-conditional-write rounds of an unconditional replace
 *                              or patch before giving up with 503 under heavy contention
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
        @Bindable(defaultValue = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}") String fieldPattern,
        @Bindable(defaultValue = "5") int maxFilters,
        @Bindable(defaultValue = "256") int maxFilterValueLength,
        @Bindable(defaultValue = "64") int maxIndexedFields,
        @Bindable(defaultValue = "32") int maxWriteAttempts) {
}
