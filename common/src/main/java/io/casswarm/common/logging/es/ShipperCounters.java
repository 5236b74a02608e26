package io.casswarm.common.logging.es;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What one {@link ElasticsearchAppender} did since it started. Counters only grow; gauges are
 * read live. Publish them as metrics with {@link LogShipperMetrics} or read {@link #snapshot()}.
 *
 * <ul>
 *   <li>{@code received}: events handed to the appender.</li>
 *   <li>{@code shipped}: events Elasticsearch confirmed (created now, or found already there).</li>
 *   <li>{@code bulks}: bulk requests Elasticsearch answered; {@code shipped / bulks} is about the mean
 *       batch size.</li>
 *   <li>{@code duplicates}: part of {@code shipped}: a re-sent event answered 409.</li>
 *   <li>{@code spooled}: events written to the disk spool (delivered later from there).</li>
 *   <li>{@code retried}: delivery attempts that failed temporarily and will be repeated
 *       (one per event per failed attempt).</li>
 *   <li>{@code dropped}: events lost, the sum of: {@code droppedQueueFull} (the in-memory queue
 *       was full), {@code droppedSpoolFull} (oldest spool segment deleted at the size limit),
 *       {@code droppedRejected} (Elasticsearch refused the document, e.g. a mapping conflict, or the
 *       event could not be encoded),
 *       {@code droppedNoSpool} (Elasticsearch down and no usable spool),
 *       {@code droppedOversize} (to be spooled but larger than the spool keeps: a quarter of its
 *       size limit, at most 16 MB),
 *       {@code droppedSelf} (logged by the shipper thread itself, never shipped to avoid loops).</li>
 * </ul>
 */
public final class ShipperCounters {

    final LongAdder received = new LongAdder();
    final LongAdder shipped = new LongAdder();
    final LongAdder bulks = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder spooled = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedSpoolFull = new LongAdder();
    final LongAdder droppedRejected = new LongAdder();
    final LongAdder droppedNoSpool = new LongAdder();
    final LongAdder droppedOversize = new LongAdder();
    final LongAdder droppedSelf = new LongAdder();

    volatile LongSupplier queueSize = () -> 0;
    volatile long spoolPending;
    volatile long spoolBytes;
    volatile boolean available;

    public long received() {
        return received.sum();
    }

    public long shipped() {
        return shipped.sum();
    }

    public long bulks() {
        return bulks.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long spooled() {
        return spooled.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public long dropped() {
        return droppedQueueFull.sum() + droppedSpoolFull.sum() + droppedRejected.sum()
                + droppedNoSpool.sum() + droppedOversize.sum() + droppedSelf.sum();
    }

    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    public long droppedSpoolFull() {
        return droppedSpoolFull.sum();
    }

    public long droppedRejected() {
        return droppedRejected.sum();
    }

    public long droppedNoSpool() {
        return droppedNoSpool.sum();
    }

    public long droppedOversize() {
        return droppedOversize.sum();
    }

    public long droppedSelf() {
        return droppedSelf.sum();
    }

    /** Events in the in-memory queue now. */
    public long queueSize() {
        return queueSize.getAsLong();
    }

    /** Events waiting in the disk spool now. */
    public long spoolPending() {
        return spoolPending;
    }

    /** Bytes the disk spool occupies now. */
    public long spoolBytes() {
        return spoolBytes;
    }

    /** Whether the last contact with Elasticsearch succeeded. */
    public boolean available() {
        return available;
    }

    /** All values by name (counters and gauges), in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", received());
        m.put("shipped", shipped());
        m.put("bulks", bulks());
        m.put("duplicates", duplicates());
        m.put("spooled", spooled());
        m.put("retried", retried());
        m.put("dropped", dropped());
        m.put("dropped_queue_full", droppedQueueFull());
        m.put("dropped_spool_full", droppedSpoolFull());
        m.put("dropped_rejected", droppedRejected());
        m.put("dropped_no_spool", droppedNoSpool());
        m.put("dropped_oversize", droppedOversize());
        m.put("dropped_self", droppedSelf());
        m.put("queue_size", queueSize());
        m.put("spool_pending", spoolPending());
        m.put("spool_bytes", spoolBytes());
        m.put("available", available() ? 1L : 0L);
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
