package io.casswarm.common.logging.es;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.util.FileSize;
import io.casswarm.common.logging.EcsJsonEncoder;
import io.casswarm.common.logging.EventIdJsonProvider;
import io.casswarm.common.logging.EventIds;
import io.casswarm.common.logging.ServiceIdentity;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Logback appender shipping events to an Elasticsearch data stream. This class is the Logback
 * face of the shipper: its setters are the configuration ({@link ShipperSettings} documents
 * each one), {@link #append} is the only code that runs on the logging thread, and
 * {@link #start()} / {@link #stop()} wire and unwire the pieces:
 *
 * <ul>
 *   <li>the logging thread encodes the event ({@link EcsJsonEncoder}) and offers it to a bounded
 *       in-memory queue; it never waits: when the queue is full the event is dropped and counted
 *       ({@code droppedQueueFull});</li>
 *   <li>one shipper thread ({@link LogShipper}) takes batches off the queue ({@link BatchCollector},
 *       which lingers so that bulk requests carry many events), sends them ({@link Delivery},
 *       through {@link ElasticsearchBulkSender}) and keeps in the disk spool ({@link SpoolSlot},
 *       {@link Spool}) what cannot be delivered now; a spool left by an earlier process (crash, or
 *       shutdown while Elasticsearch was down) is delivered after start, in order;</li>
 *   <li>{@link #stop()} (Logback's shutdown hook, or a reset) flushes: queue and spool are delivered
 *       within {@code shutdownTimeoutMillis}, the rest is kept in the spool.</li>
 * </ul>
 *
 * <p>The appender never logs through a logger about itself: its own problems go to Logback's
 * status manager (shown on the console by {@code OnConsoleStatusListener} or at configuration
 * errors). The exception is {@link ShipperStatsLine}, one line of counters per interval. Events
 * logged on the shipper thread itself (by the HTTP client, say) are never shipped (counted as
 * {@code droppedSelf}). Counters: {@link #getCounters()}, {@link ShipperRegistry},
 * {@link LogShipperMetrics}.
 */
public class ElasticsearchAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final ShipperSettings.Builder settings = new ShipperSettings.Builder();
    private final ShipperCounters counters = new ShipperCounters();
    private boolean enabled = true;
    private String serviceName;
    private String nodeName;

    private EcsJsonEncoder encoder;
    private String ephemeralId;
    private ShipperSettings started;
    private volatile BlockingQueue<LogRecord> queue;
    private volatile Thread shipperThread;
    private LogShipper shipper;
    private ShipperStatsLine statsLine;

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
        ShipperSettings checked;
        try {
            checked = settings.build();
        } catch (IllegalArgumentException e) {
            addError("log shipper " + getName() + " not started: " + e.getMessage(), e);
            return;
        }
        BulkSender sender;
        try {
            sender = new ElasticsearchBulkSender(checked, this);
        } catch (RuntimeException e) {
            addError("log shipper " + getName() + " not started: cannot set up the Elasticsearch client for "
                    + checked.urls(), e);
            return;
        }
        startWith(checked, sender);
    }

    /** Starts the shipper thread with a given sender (container-free tests use a fake). */
    void startWith(ShipperSettings checked, BulkSender sender) {
        EventIdJsonProvider.ensureSequenceNumbers(getContext());
        ephemeralId = ServiceIdentity.ephemeralId(getContext());
        encoder = new EcsJsonEncoder();
        encoder.setServiceName(serviceName);
        encoder.setNodeName(nodeName);
        encoder.setContext(getContext());
        encoder.start();

        started = checked;
        BlockingQueue<LogRecord> q = new ArrayBlockingQueue<>(checked.queueCapacity());
        counters.queueSize = q::size;
        Availability availability = new Availability(checked, counters, this, System::nanoTime);
        SpoolSlot spool = new SpoolSlot(checked, counters, this, System::nanoTime);
        shipper = new LogShipper(checked, q, spool, new Delivery(sender, counters, availability, this), availability,
                this);
        queue = q;
        Thread thread = new Thread(shipper, "casswarm-log-shipper-" + getName());
        thread.setDaemon(true);
        shipperThread = thread;
        super.start();
        thread.start();
        ShipperRegistry.register(String.valueOf(getName()), counters);
        if (checked.statsIntervalSeconds() > 0 && getContext() instanceof LoggerContext context) {
            statsLine = new ShipperStatsLine(getName(), counters, context.getLogger(ElasticsearchAppender.class),
                    checked.statsIntervalSeconds(), this);
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
        stopStatsLine();
        shipper.requestStop();
        join(started.shutdownTimeoutMillis() + 2L * started.requestTimeoutMillis() + started.lingerMillis() + 1000);
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
        stopStatsLine();
        shipper.halt();
        shipperThread.interrupt();
        join(2L * started.requestTimeoutMillis() + 1000);
        ShipperRegistry.unregister(String.valueOf(getName()), counters);
    }

    private void stopStatsLine() {
        if (statsLine != null) {
            statsLine.close();
        }
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

    // ---------------------------------------------------------------- the logging thread

    @Override
    protected void append(ILoggingEvent event) {
        BlockingQueue<LogRecord> q = queue;
        if (q == null) {
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
        if (!q.offer(new LogRecord(EventIds.of(ephemeralId, event.getSequenceNumber()), json))) {
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

    public ShipperCounters getCounters() {
        return counters;
    }

    /** The settings as set so far, checked (for tests that start the shipper with a fake sender). */
    ShipperSettings checkedSettings() {
        return settings.build();
    }

    // ---------------------------------------------------------------- configuration (see ShipperSettings)

    /** false turns shipping off (the appender accepts and discards events); default true. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** service.name of the shipped events; default env SERVICE_NAME (see ServiceIdentity). */
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    /** service.node.name of the shipped events; default env SERVICE_NODE_NAME / TASK_NAME / HOSTNAME. */
    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    /** Comma separated. */
    public void setUrl(String url) {
        settings.urls = url;
    }

    public void setDataStream(String dataStream) {
        settings.dataStream = dataStream;
    }

    public void setSpoolDir(String spoolDir) {
        settings.spoolDir = spoolDir;
    }

    public void setQueueCapacity(int queueCapacity) {
        settings.queueCapacity = queueCapacity;
    }

    public void setMaxBatchEvents(int maxBatchEvents) {
        settings.maxBatchEvents = maxBatchEvents;
    }

    public void setMaxBatchBytes(FileSize maxBatchBytes) {
        settings.maxBatchBytes = maxBatchBytes.getSize();
    }

    public void setLingerMillis(long lingerMillis) {
        settings.lingerMillis = lingerMillis;
    }

    public void setMaxSpoolSize(FileSize maxSpoolSize) {
        settings.maxSpoolBytes = maxSpoolSize.getSize();
    }

    public void setSpoolSegmentSize(FileSize spoolSegmentSize) {
        settings.spoolSegmentBytes = spoolSegmentSize.getSize();
    }

    public void setSpoolFsyncMillis(long spoolFsyncMillis) {
        settings.spoolFsyncMillis = spoolFsyncMillis;
    }

    public void setRetryInitialMillis(long retryInitialMillis) {
        settings.retryInitialMillis = retryInitialMillis;
    }

    public void setRetryMaxMillis(long retryMaxMillis) {
        settings.retryMaxMillis = retryMaxMillis;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        settings.connectTimeoutMillis = connectTimeoutMillis;
    }

    public void setRequestTimeoutMillis(int requestTimeoutMillis) {
        settings.requestTimeoutMillis = requestTimeoutMillis;
    }

    public void setShutdownTimeoutMillis(long shutdownTimeoutMillis) {
        settings.shutdownTimeoutMillis = shutdownTimeoutMillis;
    }

    public void setStatsIntervalSeconds(long statsIntervalSeconds) {
        settings.statsIntervalSeconds = statsIntervalSeconds;
    }

    public void setRetention(String retention) {
        settings.retention = retention;
    }

    public void setIlmPolicy(String ilmPolicy) {
        settings.ilmPolicy = ilmPolicy;
    }

    public void setReplicas(int replicas) {
        settings.replicas = replicas;
    }

    public void setRefreshInterval(String refreshInterval) {
        settings.refreshInterval = refreshInterval;
    }
}
