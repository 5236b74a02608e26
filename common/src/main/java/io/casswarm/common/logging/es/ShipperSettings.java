package io.casswarm.common.logging.es;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the Elasticsearch shipper, checked, in one place. {@link ElasticsearchAppender}'s
 * Logback setters fill a {@link Builder}; each piece of the shipper gets this record. The defaults
 * work on one machine; {@code casswarm-logback.xml} maps the ones an operator changes to
 * environment variables.
 *
 * @param urls                  Elasticsearch base URLs (the client spreads requests over them);
 *                              default {@value #DEFAULT_URL}
 * @param dataStream            the data stream events go to; must match {@link IndexTemplate#PATTERN};
 *                              default {@value #DEFAULT_DATA_STREAM}
 * @param spoolDir              where events wait while Elasticsearch is away (one process per
 *                              directory: it is locked); null: no spool, such events are dropped
 *                              and counted
 * @param queueCapacity         events the in-memory queue holds; beyond it events are dropped
 *                              (counted), never waited for; default 8192
 * @param maxBatchEvents        most events in one bulk request; default 1000
 * @param maxBatchBytes         about the most bytes of events in one bulk request; default 5 MB
 * @param lingerMillis          how long a batch waits for more events after its first one, unless it
 *                              is full before: fewer, larger bulk requests for Elasticsearch, at the
 *                              cost of this much delay before an event is searchable; 0 sends what
 *                              is queued at once; default 1000
 * @param maxSpoolBytes         spool size limit; beyond it the oldest segment is dropped (counted);
 *                              default 256 MB
 * @param spoolSegmentBytes     spool file size (capped at a quarter of {@code maxSpoolBytes}); default 16 MB
 * @param spoolFsyncMillis      longest time spooled events stay un-fsynced (0: fsync every append);
 *                              default 1000
 * @param retryInitialMillis    first wait before trying an unavailable Elasticsearch again; default 500
 * @param retryMaxMillis        longest wait (the back-off doubles up to it); default 30000
 * @param connectTimeoutMillis  TCP connect timeout; default 2000
 * @param requestTimeoutMillis  timeout of one request; default 10000
 * @param shutdownTimeoutMillis how long {@code stop()} delivers queue and spool before leaving the
 *                              rest in the spool; default 10000
 * @param statsIntervalSeconds  period of the counters log line (0: none); default 60
 * @param retention             data stream lifecycle retention of the log indices, e.g. {@code 7d};
 *                              blank (the default): kept for ever (see {@link IndexTemplate})
 * @param ilmPolicy             ILM policy for the backing indices (it must exist); blank (the default): none
 * @param replicas              {@code index.number_of_replicas} of the log indices; default 0
 * @param refreshInterval       {@code index.refresh_interval} of the log indices, e.g. {@code 5s}:
 *                              how soon an indexed event is searchable; longer means less work
 *                              for Elasticsearch under load; default 5s
 */
public record ShipperSettings(
        List<URI> urls,
        String dataStream,
        Path spoolDir,
        int queueCapacity,
        int maxBatchEvents,
        long maxBatchBytes,
        long lingerMillis,
        long maxSpoolBytes,
        long spoolSegmentBytes,
        long spoolFsyncMillis,
        long retryInitialMillis,
        long retryMaxMillis,
        int connectTimeoutMillis,
        int requestTimeoutMillis,
        long shutdownTimeoutMillis,
        long statsIntervalSeconds,
        String retention,
        String ilmPolicy,
        int replicas,
        String refreshInterval) {

    public static final String DEFAULT_URL = "http://elasticsearch:9200";
    public static final String DEFAULT_DATA_STREAM = "logs-casswarm-default";

    public ShipperSettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no Elasticsearch url configured");
        }
        if (dataStream == null || dataStream.isBlank()) {
            throw new IllegalArgumentException("no data stream configured");
        }
        positive("queueCapacity", queueCapacity);
        positive("maxBatchEvents", maxBatchEvents);
        positive("maxBatchBytes", maxBatchBytes);
        notNegative("lingerMillis", lingerMillis);
        positive("maxSpoolBytes", maxSpoolBytes);
        positive("spoolSegmentBytes", spoolSegmentBytes);
        notNegative("spoolFsyncMillis", spoolFsyncMillis);
        positive("retryInitialMillis", retryInitialMillis);
        if (retryMaxMillis < retryInitialMillis) {
            throw new IllegalArgumentException("retryMaxMillis " + retryMaxMillis + " is below retryInitialMillis "
                    + retryInitialMillis);
        }
        positive("connectTimeoutMillis", connectTimeoutMillis);
        positive("requestTimeoutMillis", requestTimeoutMillis);
        notNegative("shutdownTimeoutMillis", shutdownTimeoutMillis);
        notNegative("statsIntervalSeconds", statsIntervalSeconds);
        retention = retention == null ? "" : retention.trim();
        ilmPolicy = ilmPolicy == null ? "" : ilmPolicy.trim();
        notNegative("replicas", replicas);
        if (refreshInterval == null || !refreshInterval.trim().matches("-1|\\d+(ms|s|m|h|d)")) {
            throw new IllegalArgumentException("refreshInterval must be a time such as 5s or 500ms (or -1), not '"
                    + refreshInterval + "'");
        }
        refreshInterval = refreshInterval.trim();
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    private static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
    }

    /** The mutable side, for Logback's setters; {@link #build()} checks it. Defaults as documented above. */
    public static final class Builder {
        String urls = DEFAULT_URL;
        String dataStream = DEFAULT_DATA_STREAM;
        String spoolDir;
        int queueCapacity = 8192;
        int maxBatchEvents = 1000;
        long maxBatchBytes = 5L << 20;
        long lingerMillis = 1000;
        long maxSpoolBytes = 256L << 20;
        long spoolSegmentBytes = 16L << 20;
        long spoolFsyncMillis = 1000;
        long retryInitialMillis = 500;
        long retryMaxMillis = 30_000;
        int connectTimeoutMillis = 2000;
        int requestTimeoutMillis = 10_000;
        long shutdownTimeoutMillis = 10_000;
        long statsIntervalSeconds = 60;
        String retention = "";
        String ilmPolicy = "";
        int replicas = 0;
        String refreshInterval = "5s";

        /** @throws IllegalArgumentException naming the setting that is wrong */
        public ShipperSettings build() {
            List<URI> parsed = new ArrayList<>();
            for (String u : urls == null ? new String[0] : urls.split(",")) {
                if (!u.isBlank()) {
                    parsed.add(URI.create(u.trim()));
                }
            }
            Path spool = spoolDir == null || spoolDir.isBlank() ? null : Path.of(spoolDir.trim());
            return new ShipperSettings(parsed, dataStream == null ? null : dataStream.trim(), spool, queueCapacity,
                    maxBatchEvents, maxBatchBytes, lingerMillis, maxSpoolBytes, spoolSegmentBytes, spoolFsyncMillis,
                    retryInitialMillis, retryMaxMillis, connectTimeoutMillis, requestTimeoutMillis,
                    shutdownTimeoutMillis, statsIntervalSeconds, retention, ilmPolicy, replicas, refreshInterval);
        }
    }
}
