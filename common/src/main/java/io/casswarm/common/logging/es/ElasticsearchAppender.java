package io.casswarm.common.logging.es;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.FileSize;
import io.casswarm.common.logging.EcsJsonEncoder;
import io.casswarm.common.logging.EventIdJsonProvider;
import io.casswarm.common.logging.EventIds;
import io.casswarm.common.logging.ServiceIdentity;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Logback appender shipping events to an Elasticsearch data stream with elasticsearch-java's
 * bulk API.
 *
 * <p>The logging thread only encodes the event (JSON, {@link EcsJsonEncoder} unless another
 * encoder is configured) and offers it to a bounded in-memory queue; it never waits. If the
 * queue is full the event is dropped and counted ({@code droppedQueueFull}). One shipper thread
 * ({@link LogShipper}) drains the queue into bulk requests, and writes to the disk spool
 * ({@link Spool}) whatever cannot be delivered; a spool left by an earlier process (crash, or
 * shutdown while Elasticsearch was down) is delivered after start, in order. {@link #stop()}
 * (Logback's shutdown hook, or a reset) flushes: queue and spool are delivered within
 * {@code shutdownTimeoutMillis}, the rest is kept in the spool.
 *
 * <p>The appender never logs through a logger: its own problems go to Logback's status manager
 * (shown on the console by {@code <statusListener class="ch.qos.logback.core.status.OnConsoleStatusListener"/>}
 * or at configuration errors). Every {@code statsIntervalSeconds} it logs ONE line of its
 * counters to the logger {@code io.casswarm.common.logging.es.ElasticsearchAppender} from a timer
 * thread; that line is an ordinary event (it is shipped too) and is not emitted per batch, so it
 * cannot feed itself. Events logged on the shipper thread itself (by the HTTP client, say) are
 * never shipped (counted as {@code droppedSelf}).
 *
 * <p>Counters: {@link #getCounters()}, {@link ShipperRegistry}, {@link LogShipperMetrics}.
 */
public class ElasticsearchAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    public static final String DEFAULT_URL = "http://elasticsearch:9200";
    public static final String DEFAULT_DATA_STREAM = "logs-casswarm-default";

    private String url = DEFAULT_URL;
    private String dataStream = DEFAULT_DATA_STREAM;
    private String spoolDir;
    private int queueCapacity = 8192;
    private int maxBatchSize = 500;
    private FileSize maxBatchBytes = FileSize.valueOf("5MB");
    private FileSize maxSpoolSize = FileSize.valueOf("256MB");
    private FileSize spoolSegmentSize = FileSize.valueOf("16MB");
    private long spoolFsyncMillis = 1000;
    private long retryInitialMillis = 500;
    private long retryMaxMillis = 30_000;
    private int connectTimeoutMillis = 2000;
    private int requestTimeoutMillis = 10_000;
    private long shutdownTimeoutMillis = 10_000;
    private long statsIntervalSeconds = 60;
    private long pollMillis = 200;
    private boolean installTemplate = true;
    private String templateName = IndexTemplate.DEFAULT_NAME;
    private String templatePattern = IndexTemplate.DEFAULT_PATTERN;
    private String retention = "";
    private String ilmPolicy = "";
    private int replicas = 0;
    private String serviceName;
    private String nodeName;
    private Encoder<ILoggingEvent> encoder;
    private boolean enabled = true;

    private final ShipperCounters counters = new ShipperCounters();
    private volatile ArrayBlockingQueue<LogRecord> queue;
    private volatile Thread shipperThread;
    private LogShipper shipper;
    private ScheduledExecutorService statsTimer;
    private String ephemeralId;

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!enabled) {
            addInfo("Elasticsearch shipping disabled (enabled=false): events are not shipped");
            super.start();
            return;
        }
        EventIdJsonProvider.ensureSequenceNumbers(getContext());
        ephemeralId = ServiceIdentity.ephemeralId(getContext());
        if (encoder == null) {
            EcsJsonEncoder ecs = new EcsJsonEncoder();
            ecs.setServiceName(serviceName);
            ecs.setNodeName(nodeName);
            ecs.setContext(getContext());
            encoder = ecs;
        }
        if (!encoder.isStarted()) {
            encoder.start();
        }

        List<URI> urls = new ArrayList<>();
        try {
            for (String u : url.split(",")) {
                if (!u.isBlank()) {
                    urls.add(URI.create(u.trim()));
                }
            }
        } catch (IllegalArgumentException e) {
            addError("invalid Elasticsearch url '" + url + "'", e);
            return;
        }
        if (urls.isEmpty()) {
            addError("no Elasticsearch url configured");
            return;
        }

        Spool spool = null;
        java.util.function.Supplier<Spool> reopen = null;
        if (spoolDir != null && !spoolDir.isBlank()) {
            try {
                spool = openSpool();
            } catch (Exception e) {
                addWarn("cannot open the log spool " + spoolDir + " yet (" + e.getMessage() + "); shipping"
                        + " without it and trying again every 5 s. Meanwhile, if Elasticsearch is down, events"
                        + " are dropped (counted as droppedNoSpool)");
                reopen = () -> {
                    try {
                        Spool opened = openSpool();
                        addInfo("log spool " + spoolDir + " opened");
                        return opened;
                    } catch (Exception again) {
                        return null;
                    }
                };
            }
        } else {
            addWarn("no spoolDir configured: while Elasticsearch is down events are dropped (counted)");
        }

        var templateBody = installTemplate
                ? IndexTemplate.body(templatePattern, retention, ilmPolicy, replicas) : null;
        BulkSender sender = new ElasticsearchBulkSender(urls, dataStream, templateName, templateBody,
                connectTimeoutMillis, requestTimeoutMillis, this::addInfo);
        startWith(sender, spool, reopen);
    }

    private Spool openSpool() throws java.io.IOException {
        Spool spool = new Spool(Path.of(spoolDir.trim()), maxSpoolSize.getSize(), spoolSegmentSize.getSize(),
                spoolFsyncMillis);
        spool.drainWarnings().forEach(this::addWarn);
        if (!spool.isEmpty()) {
            addInfo("log spool " + spoolDir + " holds " + spool.pendingRecords()
                    + " events from an earlier run; delivering them first");
        }
        return spool;
    }

    /** Starts the shipper thread with a given sender (tests use fakes). */
    void startWith(BulkSender sender, Spool spool) {
        startWith(sender, spool, null);
    }

    void startWith(BulkSender sender, Spool spool, java.util.function.Supplier<Spool> reopen) {
        ArrayBlockingQueue<LogRecord> q = new ArrayBlockingQueue<>(queueCapacity);
        counters.queueSize = q::size;
        LogShipper.Settings settings = new LogShipper.Settings(maxBatchSize, maxBatchBytes.getSize(), pollMillis,
                retryInitialMillis, retryMaxMillis, shutdownTimeoutMillis);
        shipper = new LogShipper(q, spool, reopen, sender, counters, settings, new LogShipper.Status() {
            @Override
            public void info(String message) {
                addInfo(message);
            }

            @Override
            public void warn(String message, Throwable t) {
                addWarn(message, t);
            }
        });
        queue = q;
        Thread t = new Thread(shipper, "casswarm-log-shipper-" + getName());
        t.setDaemon(true);
        shipperThread = t;
        super.start();
        t.start();
        ShipperRegistry.register(String.valueOf(getName()), counters);
        if (statsIntervalSeconds > 0 && getContext() instanceof LoggerContext lc) {
            Logger statsLogger = lc.getLogger(ElasticsearchAppender.class);
            statsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread st = new Thread(r, "casswarm-log-stats-" + getName());
                st.setDaemon(true);
                return st;
            });
            statsTimer.scheduleAtFixedRate(() -> logStats(statsLogger), statsIntervalSeconds, statsIntervalSeconds,
                    TimeUnit.SECONDS);
        }
    }

    /** One line of counters, as an ordinary log event (see class comment). */
    private void logStats(Logger statsLogger) {
        try {
            var builder = statsLogger.atInfo();
            Map<String, Long> s = counters.snapshot();
            for (String key : List.of("received", "shipped", "duplicates", "spooled", "retried", "dropped",
                    "spool_pending", "spool_bytes", "queue_size")) {
                builder = builder.addKeyValue("casswarm.log_shipper." + key, s.get(key));
            }
            builder.log("log shipper {}: {}", getName(), s);
        } catch (RuntimeException e) {
            addWarn("cannot log shipper statistics", e);
        }
    }

    /** Flushes (within {@code shutdownTimeoutMillis}) and stops. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        if (shipper == null) {
            return;
        }
        if (statsTimer != null) {
            statsTimer.shutdownNow();
        }
        shipper.requestStop();
        join(shutdownTimeoutMillis + 2L * requestTimeoutMillis + 1000);
        ShipperRegistry.unregister(String.valueOf(getName()), counters);
    }

    /**
     * Stops WITHOUT flushing, as if the process had been killed: the queue is discarded, the
     * spool is left as it is on disk. For tests of crash recovery.
     */
    public void stopWithoutFlush() {
        if (!isStarted() || shipper == null) {
            return;
        }
        super.stop();
        if (statsTimer != null) {
            statsTimer.shutdownNow();
        }
        shipper.halt();
        shipperThread.interrupt();
        join(2L * requestTimeoutMillis + 1000);
        ShipperRegistry.unregister(String.valueOf(getName()), counters);
    }

    private void join(long millis) {
        try {
            shipperThread.join(millis);
            if (shipperThread.isAlive()) {
                addWarn("log shipper did not stop within " + millis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- append

    @Override
    protected void append(ILoggingEvent event) {
        if (queue == null) {
            return; // disabled
        }
        if (Thread.currentThread() == shipperThread) {
            counters.droppedSelf.increment();
            return;
        }
        counters.received.increment();
        byte[] json;
        try {
            json = trimNewline(encoder.encode(event));
        } catch (RuntimeException e) {
            counters.droppedRejected.increment();
            addWarn("cannot encode a log event", e);
            return;
        }
        if (!queue.offer(new LogRecord(EventIds.of(ephemeralId, event.getSequenceNumber()), json))) {
            counters.droppedQueueFull.increment();
        }
    }

    private static byte[] trimNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }

    // ---------------------------------------------------------------- state

    public ShipperCounters getCounters() {
        return counters;
    }

    // ---------------------------------------------------------------- configuration

    /** Elasticsearch base URL(s), comma separated. Default {@value #DEFAULT_URL}. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** Target data stream (must match the template pattern). Default {@value #DEFAULT_DATA_STREAM}. */
    public void setDataStream(String dataStream) {
        this.dataStream = dataStream;
    }

    /** Spool directory (one per process: it is locked). Without it nothing is kept while ES is down. */
    public void setSpoolDir(String spoolDir) {
        this.spoolDir = spoolDir;
    }

    /** In-memory queue capacity in events (default 8192). */
    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public void setMaxBatchBytes(FileSize maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    /** Spool size limit on disk (default 256MB); beyond it the oldest segment is dropped. */
    public void setMaxSpoolSize(FileSize maxSpoolSize) {
        this.maxSpoolSize = maxSpoolSize;
    }

    /** Spool segment size (default 16MB, at most a quarter of maxSpoolSize). */
    public void setSpoolSegmentSize(FileSize spoolSegmentSize) {
        this.spoolSegmentSize = spoolSegmentSize;
    }

    /** Longest time spooled events may sit un-fsynced (default 1000 ms; 0 = fsync every append). */
    public void setSpoolFsyncMillis(long spoolFsyncMillis) {
        this.spoolFsyncMillis = spoolFsyncMillis;
    }

    public void setRetryInitialMillis(long retryInitialMillis) {
        this.retryInitialMillis = retryInitialMillis;
    }

    public void setRetryMaxMillis(long retryMaxMillis) {
        this.retryMaxMillis = retryMaxMillis;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public void setRequestTimeoutMillis(int requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public void setShutdownTimeoutMillis(long shutdownTimeoutMillis) {
        this.shutdownTimeoutMillis = shutdownTimeoutMillis;
    }

    /** Period of the counters log line (default 60 s; 0 turns it off). */
    public void setStatsIntervalSeconds(long statsIntervalSeconds) {
        this.statsIntervalSeconds = statsIntervalSeconds;
    }

    void setPollMillis(long pollMillis) {
        this.pollMillis = pollMillis;
    }

    /** Whether to install the index template at start (default true). */
    public void setInstallTemplate(boolean installTemplate) {
        this.installTemplate = installTemplate;
    }

    public void setTemplateName(String templateName) {
        this.templateName = templateName;
    }

    public void setTemplatePattern(String templatePattern) {
        this.templatePattern = templatePattern;
    }

    /** Data stream lifecycle retention, e.g. {@code 7d}; blank = keep forever. */
    public void setRetention(String retention) {
        this.retention = retention == null ? "" : retention;
    }

    /** ILM policy name to set on backing indices (must exist); blank = none. */
    public void setIlmPolicy(String ilmPolicy) {
        this.ilmPolicy = ilmPolicy == null ? "" : ilmPolicy;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    /** For the default encoder: overrides env SERVICE_NAME. */
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    /** For the default encoder: overrides env SERVICE_NODE_NAME / TASK_NAME / HOSTNAME. */
    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    /** false turns shipping off (the appender accepts and discards events); default true. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }
}
