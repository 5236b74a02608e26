package io.casswarm.common.logging.es;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of every running {@link ElasticsearchAppender} in this JVM, by appender name, so
 * an application can publish them as metrics without reaching into Logback (see
 * {@link LogShipperMetrics}).
 */
public final class ShipperRegistry {

    private static final Map<String, ShipperCounters> COUNTERS = new ConcurrentHashMap<>();

    private ShipperRegistry() {
    }

    /** Running appenders' counters by appender name (a live, unmodifiable view). */
    public static Map<String, ShipperCounters> all() {
        return java.util.Collections.unmodifiableMap(COUNTERS);
    }

    static void register(String name, ShipperCounters counters) {
        COUNTERS.put(name, counters);
    }

    static void unregister(String name, ShipperCounters counters) {
        COUNTERS.remove(name, counters);
    }
}
