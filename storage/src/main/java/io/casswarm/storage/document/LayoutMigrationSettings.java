package io.casswarm.storage.document;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How the copy of layout v1 ({@code documents}) into v2 ({@code documents_v2}) runs.
 *
 * @param enabled   whether this replica takes part (any replica may hold the lease)
 * @param batchSize v1 rows read and copied per step; the checkpoint moves after each step
 * @param lease     how long the lease lives without renewal (a dead copier's lease expires)
 * @param pause     pause between steps, to leave the ring to live traffic
 * @param poll      how often a replica without the lease looks whether the copy is done
 */
@ConfigurationProperties("casswarm.layout-migration")
public record LayoutMigrationSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "100") int batchSize,
        @Bindable(defaultValue = "30s") Duration lease,
        @Bindable(defaultValue = "20ms") Duration pause,
        @Bindable(defaultValue = "5s") Duration poll) {
}
