package io.casswarm.storage.schema;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How schema migrations are found and coordinated between storage replicas.
 *
 * @param location     classpath folder holding an {@code INDEX} file and the .cql files it names
 * @param lockLease    how long the migration lock lives without renewal (a crashed holder's
 *                     lock expires after this); renewed by a heartbeat every third of it
 *                     while held ({@link MigrationLock})
 * @param waitTimeout  how long a replica waits for another one to finish migrating
 * @param pollInterval how often a waiting replica looks again
 */
@ConfigurationProperties("casswarm.migrations")
public record MigrationSettings(
        @Bindable(defaultValue = "db/migrations") String location,
        @Bindable(defaultValue = "60s") Duration lockLease,
        @Bindable(defaultValue = "5m") Duration waitTimeout,
        @Bindable(defaultValue = "500ms") Duration pollInterval) {
}
