package io.casswarm.gate.documents;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Limits on what a client may send.
 *
 * @param maxDocumentBytes largest document body (or merge patch), in bytes of JSON as sent
 * @param maxBulk          most documents in one bulk create
 * @param defaultLimit     page size when a listing gives no {@code limit}
 * @param maxLimit         largest {@code limit} of a listing
 * @param maxFilters       most filter parameters in one listing
 */
@ConfigurationProperties("casswarm.documents")
public record DocumentSettings(
        @Bindable(defaultValue = "1048576") int maxDocumentBytes,
        @Bindable(defaultValue = "100") int maxBulk,
        @Bindable(defaultValue = "20") int defaultLimit,
        @Bindable(defaultValue = "100") int maxLimit,
        @Bindable(defaultValue = "5") int maxFilters) {

    /** Longest TTL Cassandra accepts: 20 years. */
    public static final int MAX_TTL_SECONDS = 630_720_000;
}
