package io.casswarm.common.logging.es;

import ch.qos.logback.core.spi.ContextAware;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shipper thread's loop: the only thread that talks to Elasticsearch and the only one that
 * touches the spool.
 *
 * <p>One routing rule ({@link #route}): while the spool holds anything, new events go in behind
 * it and the spool is delivered oldest first; only with an empty spool and Elasticsearch ready
 * do events go straight from the queue to Elasticsearch, and whatever of such a batch is not
 * settled goes to the spool. Only those direct batches linger ({@link BatchCollector}): the
 * spool is read in full batches anyway. Every event has a deterministic {@code _id} and is sent
 * with {@code create}, so an event sent twice (a timeout after Elasticsearch had indexed it, a
 * crash before the spool cursor was saved) comes back 409 and counts as delivered, once.
 *
 * <p>Stopping: {@link #requestStop()} ends the loop and flushes (queue, then spool) within the
 * shutdown timeout, leaving the rest in the spool; {@link #halt()} ends it as a crash would.
 */
final class LogShipper implements Runnable {

    /** How long an idle loop waits for a first event before looking at the spool again. */
    static final long IDLE_WAIT_MILLIS = 200;

    private final ShipperSettings settings;
    private final BatchCollector batches;
    private final SpoolSlot spool;
    private final Delivery delivery;
    private final Availability availability;
    private final ContextAware status;

    private volatile boolean stopRequested;
    private volatile boolean halt;

    LogShipper(ShipperSettings settings, BlockingQueue<LogRecord> queue, SpoolSlot spool, Delivery delivery,
               Availability availability, ContextAware status) {
        this.settings = settings;
        this.batches = new BatchCollector(queue, settings, () -> stopRequested);
        this.spool = spool;
        this.delivery = delivery;
        this.availability = availability;
        this.status = status;
    }

    /** Asks the loop to flush (queue, then spool, within the shutdown timeout) and end. */
    void requestStop() {
        stopRequested = true;
    }

    /** Asks the loop to end at once, leaving queue and spool as a crash would (tests). */
    void halt() {
        halt = true;
        stopRequested = true;
    }

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                step();
            }
            if (!halt) {
                flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            status.addWarn("log shipper thread failed; events are no longer shipped", t);
        } finally {
            spool.close(halt);
            delivery.close();
        }
    }

    private void step() throws InterruptedException {
        spool.openIfDue();
        boolean ready = delivery.ready();
        List<LogRecord> batch;
        if (ready && !spool.hasPending()) {
            batch = batches.collect(IDLE_WAIT_MILLIS, settings.lingerMillis());
        } else if (ready) {
            batch = batches.collect(0, 0); // the spool is waiting to be delivered: no wait
        } else {
            batch = batches.collect(Math.max(1, Math.min(IDLE_WAIT_MILLIS, delivery.millisUntilReady())), 0);
        }
        if (halt) {
            return;
        }
        route(batch, ready);
        if (ready && spool.hasPending() && availability.due()) {
            deliverSpoolBatch();
        }
        spool.sync();
    }

    /** At shutdown: queue first, then spool, until both are empty or the shutdown timeout has passed. */
    private void flush() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownTimeoutMillis());
        while (true) {
            boolean ready = System.nanoTime() < deadline && delivery.ready();
            List<LogRecord> batch = batches.collect(0, 0);
            if (!batch.isEmpty()) {
                route(batch, ready);
            } else if (ready && spool.hasPending()) {
                deliverSpoolBatch();
            } else {
                break;
            }
        }
        if (spool.hasPending()) {
            status.addInfo("log shipper stopped with " + spool.pending() + " events in the spool "
                    + spool.directory() + "; they are delivered after the next start");
        }
    }

    /** The routing rule (see the class comment). */
    private void route(List<LogRecord> batch, boolean ready) {
        if (batch.isEmpty()) {
            return;
        }
        if (ready && !spool.hasPending()) {
            int settled = delivery.send(batch);
            spool.append(batch.subList(settled, batch.size()));
        } else {
            spool.append(batch);
        }
    }

    /** Sends the oldest part of the spool and consumes what of it is settled. */
    private void deliverSpoolBatch() {
        List<Spool.Pending> chunk;
        try {
            chunk = spool.peek(settings.maxBatchEvents(), settings.maxBatchBytes());
        } catch (IOException | RuntimeException e) {
            status.addWarn("cannot read the log spool " + spool.directory(), e);
            availability.failed("spool read failed", e);
            return;
        }
        if (chunk.isEmpty()) {
            // Counted as waiting, yet nothing to read: back off instead of spinning.
            availability.failed("the spool holds " + spool.pending() + " events but none could be read", null);
            return;
        }
        List<LogRecord> records = new ArrayList<>(chunk.size());
        for (Spool.Pending pending : chunk) {
            records.add(pending.record());
        }
        int settled = delivery.send(records);
        if (settled > 0) {
            spool.commit(chunk.subList(0, settled));
        }
    }
}
