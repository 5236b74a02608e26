package io.casswarm.common.logging.es;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Takes the next batch off the in-memory queue. A batch starts with the first event that
 * arrives within the wait given; when lingering, it then takes more for up to the linger time
 * after that first event, and goes as soon as it is full ({@code maxBatchEvents}, or about
 * {@code maxBatchBytes}). Under load a batch therefore fills long before the linger ends; a
 * lone event waits at most the linger. Lingering stops early when the shipper is asked to stop.
 */
final class BatchCollector {

    /** How often a linger looks at the stop flag. */
    private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<LogRecord> queue;
    private final int maxEvents;
    private final long maxBytes;
    private final BooleanSupplier stopRequested;

    BatchCollector(BlockingQueue<LogRecord> queue, ShipperSettings settings, BooleanSupplier stopRequested) {
        this.queue = queue;
        this.maxEvents = settings.maxBatchEvents();
        this.maxBytes = settings.maxBatchBytes();
        this.stopRequested = stopRequested;
    }

    /** Whether a batch of this many events and bytes goes without waiting for more. */
    boolean full(int events, long bytes) {
        return events >= maxEvents || bytes >= maxBytes;
    }

    /**
     * @param waitMillis   how long to wait for a first event (0: take only what is queued now)
     * @param lingerMillis how long after the first event to wait for more (0: take only what is queued now)
     * @return the batch, empty when no event came within {@code waitMillis}
     */
    List<LogRecord> collect(long waitMillis, long lingerMillis) throws InterruptedException {
        List<LogRecord> batch = new ArrayList<>();
        LogRecord first = waitMillis <= 0 ? queue.poll() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        batch.add(first);
        long bytes = first.json().length;
        while (!full(batch.size(), bytes)) {
            LogRecord next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopRequested.getAsBoolean()) {
                    break;
                }
                next = queue.poll(Math.min(left, STOP_CHECK_NANOS), TimeUnit.NANOSECONDS);
                if (next == null) {
                    continue;
                }
            }
            batch.add(next);
            bytes += next.json().length;
        }
        return batch;
    }
}
