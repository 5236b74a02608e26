package io.casswarm.common.logging.es;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.spi.ContextAware;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Logs ONE line of an appender's counters every {@code statsIntervalSeconds}, from its own timer
 * thread, to the logger {@code io.casswarm.common.logging.es.ElasticsearchAppender}. The line is an
 * ordinary event (shipped too, fields {@code casswarm.log_shipper.*}); it is not emitted per
 * batch, so it cannot feed itself.
 */
final class ShipperStatsLine implements AutoCloseable {

    /** The counters that go into the line as fields (the message has them all). */
    static final List<String> FIELDS = List.of("received", "shipped", "bulks", "duplicates", "spooled", "retried",
            "dropped", "spool_pending", "spool_bytes", "queue_size");

    private final ScheduledExecutorService timer;

    ShipperStatsLine(String appenderName, ShipperCounters counters, Logger logger, long intervalSeconds,
                     ContextAware status) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "casswarm-log-stats-" + appenderName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> log(appenderName, counters, logger, status), intervalSeconds, intervalSeconds,
                TimeUnit.SECONDS);
    }

    private static void log(String appenderName, ShipperCounters counters, Logger logger, ContextAware status) {
        try {
            var builder = logger.atInfo();
            Map<String, Long> values = counters.snapshot();
            for (String key : FIELDS) {
                builder = builder.addKeyValue("casswarm.log_shipper." + key, values.get(key));
            }
            builder.log("log shipper {}: {}", appenderName, values);
        } catch (RuntimeException e) {
            status.addWarn("cannot log shipper statistics", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
