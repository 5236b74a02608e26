package io.casswarm.gate.metrics;

import io.casswarm.common.logging.es.LogShipperMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Publishes the log shipper's counters (shipped, spooled, dropped, retried) on /prometheus. */
@Factory
final class LogShipperMetricsFactory {

    @Singleton
    MeterBinder logShipperMetrics() {
        return new LogShipperMetrics();
    }
}
