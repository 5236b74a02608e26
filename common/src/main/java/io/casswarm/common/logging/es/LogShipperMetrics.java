package io.casswarm.common.logging.es;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the counters of every running {@link ElasticsearchAppender} as Micrometer meters,
 * tagged {@code appender=<name>}:
 * {@code casswarm.logs.received|shipped|bulks|duplicates|spooled|retried} (counters),
 * {@code casswarm.logs.dropped} (counter, tag
 * {@code reason=queue_full|spool_full|rejected|no_spool|oversize|self}),
 * {@code casswarm.logs.queue.size}, {@code casswarm.logs.spool.pending}, {@code casswarm.logs.spool.bytes},
 * {@code casswarm.logs.elasticsearch.available} (gauges).
 *
 * <p>Micrometer is an optional dependency of common: only applications that have it (gate and
 * storage, through micronaut-micrometer) may load this class. In Micronaut:
 * {@code @Factory class LogMetrics { @Singleton MeterBinder logShipperMetrics() { return new LogShipperMetrics(); } }}
 * Bind after Logback is configured (always true in an application).
 */
public final class LogShipperMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Map.Entry<String, ShipperCounters> e : ShipperRegistry.all().entrySet()) {
            bind(registry, e.getKey(), e.getValue());
        }
    }

    private static void bind(MeterRegistry registry, String appender, ShipperCounters c) {
        Tags tags = Tags.of("appender", appender);
        counter(registry, "casswarm.logs.received", "Log events handed to the shipper", tags, c, ShipperCounters::received);
        counter(registry, "casswarm.logs.shipped", "Log events confirmed by Elasticsearch", tags, c, ShipperCounters::shipped);
        counter(registry, "casswarm.logs.bulks", "Bulk requests Elasticsearch answered", tags, c, ShipperCounters::bulks);
        counter(registry, "casswarm.logs.duplicates", "Re-sent log events Elasticsearch already had (409)", tags, c,
                ShipperCounters::duplicates);
        counter(registry, "casswarm.logs.spooled", "Log events written to the disk spool", tags, c, ShipperCounters::spooled);
        counter(registry, "casswarm.logs.retried", "Log event deliveries that failed temporarily", tags, c,
                ShipperCounters::retried);
        String dropped = "Log events lost";
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "queue_full"), c, ShipperCounters::droppedQueueFull);
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "spool_full"), c, ShipperCounters::droppedSpoolFull);
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "rejected"), c, ShipperCounters::droppedRejected);
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "no_spool"), c, ShipperCounters::droppedNoSpool);
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "oversize"), c, ShipperCounters::droppedOversize);
        counter(registry, "casswarm.logs.dropped", dropped, tags.and("reason", "self"), c, ShipperCounters::droppedSelf);
        gauge(registry, "casswarm.logs.queue.size", "Log events in the in-memory queue", tags, c, ShipperCounters::queueSize);
        gauge(registry, "casswarm.logs.spool.pending", "Log events waiting in the disk spool", tags, c,
                ShipperCounters::spoolPending);
        gauge(registry, "casswarm.logs.spool.bytes", "Bytes of the disk spool", tags, c, ShipperCounters::spoolBytes);
        gauge(registry, "casswarm.logs.elasticsearch.available", "1 when the last contact with Elasticsearch succeeded",
                tags, c, s -> s.available() ? 1 : 0);
    }

    private static void counter(MeterRegistry r, String name, String help, Tags tags, ShipperCounters c,
                                ToDoubleFunction<ShipperCounters> f) {
        FunctionCounter.builder(name, c, f).description(help).tags(tags).register(r);
    }

    private static void gauge(MeterRegistry r, String name, String help, Tags tags, ShipperCounters c,
                              ToDoubleFunction<ShipperCounters> f) {
        Gauge.builder(name, c, f).description(help).tags(tags).strongReference(true).register(r);
    }
}
