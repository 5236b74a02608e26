package io.casswarm.common.logging.es;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Publishes the log shipper's counters (shipped, spooled, dropped, retried) as
 * {@code casswarm_logs_*} on the /prometheus of every service with Micrometer (gate, storage).
 */
@Factory
@Requires(classes = MeterBinder.class)
final class LogShipperMetricsFactory {

    @Singleton
    MeterBinder logShipperMetrics() {
        return new LogShipperMetrics();
    }
}
