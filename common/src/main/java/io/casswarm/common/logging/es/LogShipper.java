package io.casswarm.common.logging.es;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shipper thread's loop. The only thread that talks to Elasticsearch and the only one that
 * touches the spool.
 *
 * <p>Order: while the spool holds anything, new events are appended behind it and the spool is
 * delivered oldest first; only with an empty spool do events go straight from the queue to
 * Elasticsearch. A failed batch (Elasticsearch unreachable, 429, 5xx) goes to the spool and
 * Elasticsearch is retried after an exponential back-off. Every event has a deterministic
 * {@code _id} and is sent with {@code create}: an event sent twice (a timeout after Elasticsearch
 * had indexed it, a crash before the spool cursor was saved) comes back 409 and counts as
 * delivered, so nothing is indexed twice.
 */
final class LogShipper implements Runnable {

    /** Where the shipper reports on itself: Logback's status manager, never a logger. */
    interface Status {
        void info(String message);

        void warn(String message, Throwable t);
    }

    record Settings(int maxBatchSize, long maxBatchBytes, long pollMillis, long retryInitialMillis,
                    long retryMaxMillis, long shutdownTimeoutMillis) {
    }

    private final BlockingQueue<LogRecord> queue;
    /** Null while there is none: not configured, or not openable yet (see spoolOpener). */
    private Spool spool;
    /** Tries again to open a spool that could not be opened at start, or null. */
    private final java.util.function.Supplier<Spool> spoolOpener;
    private long nextSpoolAttemptNanos;
    private final BulkSender sender;
    private final ShipperCounters counters;
    private final Settings settings;
    private final Status status;

    private volatile boolean stopRequested;
    private volatile boolean halt;
    private boolean prepared;
    private long retryAtNanos = System.nanoTime();
    private long backoffMillis;
    private boolean down;
    private long failuresWhileDown;

    LogShipper(BlockingQueue<LogRecord> queue, Spool spool, BulkSender sender, ShipperCounters counters,
               Settings settings, Status status) {
        this(queue, spool, null, sender, counters, settings, status);
    }

    /**
     * With a {@code spoolOpener}: while {@code spool} is null, the loop asks it for one every few
     * seconds. A task started before the one it replaces has stopped (a start-first rolling
     * update) finds the slot's spool locked; it takes the spool over once the old task is gone.
     */
    LogShipper(BlockingQueue<LogRecord> queue, Spool spool, java.util.function.Supplier<Spool> spoolOpener,
               BulkSender sender, ShipperCounters counters, Settings settings, Status status) {
        this.queue = queue;
        this.spool = spool;
        this.spoolOpener = spoolOpener;
        this.sender = sender;
        this.counters = counters;
        this.settings = settings;
        this.status = status;
        this.backoffMillis = settings.retryInitialMillis();
        updateSpoolGauges();
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
                shutdown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            status.warn("log shipper thread failed; events are no longer shipped", t);
        } finally {
            closeQuietly();
        }
    }

    // ---------------------------------------------------------------- main loop

    private void retryOpeningSpool() {
        if (spool != null || spoolOpener == null || System.nanoTime() < nextSpoolAttemptNanos) {
            return;
        }
        nextSpoolAttemptNanos = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        spool = spoolOpener.get();
        if (spool != null) {
            updateSpoolGauges();
        }
    }

    private void step() throws InterruptedException {
        retryOpeningSpool();
        boolean ready = ensurePrepared();
        boolean spoolPending = spool != null && !spool.isEmpty();
        long waitMillis;
        if (ready && spoolPending) {
            waitMillis = 0;
        } else if (!ready) {
            waitMillis = Math.max(1, Math.min(settings.pollMillis(), millisUntilRetry()));
        } else {
            waitMillis = settings.pollMillis();
        }
        List<LogRecord> batch = take(waitMillis);
        if (halt) {
            return;
        }
        if (!batch.isEmpty()) {
            if (ready && !spoolPending) {
                List<LogRecord> left = deliver(batch);
                if (!left.isEmpty()) {
                    toSpool(left);
                }
            } else {
                toSpool(batch);
            }
        }
        if (spool != null && !spool.isEmpty() && prepared && retryDue()) {
            deliverSpoolChunk();
        }
        syncSpool();
    }

    private void shutdown() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownTimeoutMillis());
        while (true) {
            boolean ready = System.nanoTime() < deadline && ensurePrepared();
            List<LogRecord> batch = new ArrayList<>();
            queue.drainTo(batch, settings.maxBatchSize());
            if (!batch.isEmpty()) {
                if (ready && (spool == null || spool.isEmpty())) {
                    List<LogRecord> left = deliver(batch);
                    if (!left.isEmpty()) {
                        toSpool(left);
                    }
                } else {
                    toSpool(batch);
                }
                continue;
            }
            if (ready && spool != null && !spool.isEmpty()) {
                deliverSpoolChunk();
                continue;
            }
            break;
        }
        if (spool != null && !spool.isEmpty()) {
            status.info("log shipper stopped with " + spool.pendingRecords() + " events in the spool "
                    + spool.directory() + "; they are delivered after the next start");
        }
    }

    private List<LogRecord> take(long waitMillis) throws InterruptedException {
        List<LogRecord> batch = new ArrayList<>();
        LogRecord first = waitMillis <= 0 ? queue.poll() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long bytes = first.json().length;
        while (batch.size() < settings.maxBatchSize() && bytes < settings.maxBatchBytes()) {
            LogRecord next = queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
            bytes += next.json().length;
        }
        return batch;
    }

    /** Installs the template once; false while Elasticsearch is not (yet) usable. */
    private boolean ensurePrepared() {
        if (!retryDue()) {
            return false;
        }
        if (prepared) {
            return true;
        }
        try {
            sender.prepare();
            prepared = true;
            markUp();
            return true;
        } catch (Exception e) {
            markDown("cannot install the index template", e);
            return false;
        }
    }

    // ---------------------------------------------------------------- delivery

    /** Sends a batch from memory; returns the events to try again later, in order. */
    private List<LogRecord> deliver(List<LogRecord> batch) {
        BulkSender.Result result;
        try {
            result = sender.send(batch);
        } catch (Exception e) {
            counters.retried.add(batch.size());
            markDown("bulk request failed", e);
            return batch;
        }
        List<LogRecord> retry = new ArrayList<>();
        BulkSender.Outcome[] outcomes = result.outcomes();
        for (int i = 0; i < outcomes.length; i++) {
            switch (outcomes[i]) {
                case CREATED -> counters.shipped.increment();
                case DUPLICATE -> {
                    counters.shipped.increment();
                    counters.duplicates.increment();
                }
                case REJECTED -> counters.droppedRejected.increment();
                case RETRY -> retry.add(batch.get(i));
            }
        }
        reportRejection(result);
        if (retry.isEmpty()) {
            markUp();
        } else {
            counters.retried.add(retry.size());
            markDown(retry.size() + " events refused temporarily (429/5xx)", null);
        }
        return retry;
    }

    /** Sends the oldest part of the spool; consumes the prefix that was delivered. */
    private void deliverSpoolChunk() {
        List<Spool.Pending> chunk;
        try {
            chunk = spool.peek(settings.maxBatchSize(), settings.maxBatchBytes());
        } catch (Exception e) {
            status.warn("cannot read the log spool " + spool.directory(), e);
            markDown("spool read failed", e);
            return;
        }
        if (chunk.isEmpty()) {
            return;
        }
        List<LogRecord> records = new ArrayList<>(chunk.size());
        for (Spool.Pending p : chunk) {
            records.add(p.record());
        }
        BulkSender.Result result;
        try {
            result = sender.send(records);
        } catch (Exception e) {
            counters.retried.add(records.size());
            markDown("bulk request of spooled events failed", e);
            return;
        }
        BulkSender.Outcome[] outcomes = result.outcomes();
        int prefix = 0;
        while (prefix < outcomes.length && outcomes[prefix] != BulkSender.Outcome.RETRY) {
            switch (outcomes[prefix]) {
                case CREATED -> counters.shipped.increment();
                case DUPLICATE -> {
                    counters.shipped.increment();
                    counters.duplicates.increment();
                }
                default -> counters.droppedRejected.increment();
            }
            prefix++;
        }
        reportRejection(result);
        try {
            spool.commit(chunk.subList(0, prefix));
        } catch (Exception e) {
            status.warn("cannot advance the log spool cursor " + spool.directory()
                    + " (events may be re-sent; Elasticsearch answers 409 for them)", e);
        }
        updateSpoolGauges();
        if (prefix < outcomes.length) {
            counters.retried.add(outcomes.length - prefix);
            markDown((outcomes.length - prefix) + " spooled events refused temporarily (429/5xx)", null);
        } else {
            markUp();
        }
    }

    private void toSpool(List<LogRecord> records) {
        if (spool == null) {
            counters.droppedNoSpool.add(records.size());
            return;
        }
        try {
            long dropped = spool.append(records);
            counters.spooled.add(records.size());
            if (dropped > 0) {
                counters.droppedSpoolFull.add(dropped);
                status.warn("log spool " + spool.directory() + " full: dropped the " + dropped
                        + " oldest undelivered events (drop rule: oldest segment first)", null);
            }
        } catch (Exception e) {
            counters.droppedNoSpool.add(records.size());
            status.warn("cannot write the log spool " + spool.directory() + "; " + records.size()
                    + " events dropped", e);
        }
        updateSpoolGauges();
    }

    private void syncSpool() {
        if (spool == null) {
            return;
        }
        try {
            spool.maybeSync();
        } catch (Exception e) {
            status.warn("cannot fsync the log spool " + spool.directory(), e);
        }
    }

    private void updateSpoolGauges() {
        if (spool != null) {
            counters.spoolPending = spool.pendingRecords();
            counters.spoolBytes = spool.sizeBytes();
        }
    }

    private void reportRejection(BulkSender.Result result) {
        if (result.firstRejection() != null) {
            status.warn("Elasticsearch rejected log events (dropped, counted): " + result.firstRejection(), null);
        }
    }

    // ---------------------------------------------------------------- availability

    private boolean retryDue() {
        return System.nanoTime() - retryAtNanos >= 0;
    }

    private long millisUntilRetry() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(retryAtNanos - System.nanoTime()));
    }

    private void markDown(String what, Throwable t) {
        counters.available = false;
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        if (!down) {
            down = true;
            failuresWhileDown = 0;
            status.warn("Elasticsearch unavailable (" + what + "); spooling events to disk, retrying with back-off"
                    + " up to " + settings.retryMaxMillis() + " ms", t);
        }
        failuresWhileDown++;
        backoffMillis = Math.min(settings.retryMaxMillis(), backoffMillis * 2);
    }

    private void markUp() {
        counters.available = true;
        backoffMillis = settings.retryInitialMillis();
        if (down) {
            down = false;
            status.info("Elasticsearch available again after " + failuresWhileDown + " failed attempts; "
                    + (spool == null ? 0 : spool.pendingRecords()) + " spooled events to deliver");
        }
    }

    private void closeQuietly() {
        try {
            if (spool != null) {
                if (halt) {
                    spool.abandon();
                } else {
                    spool.close();
                }
            }
        } catch (Exception e) {
            status.warn("cannot close the log spool", e);
        }
        try {
            sender.close();
        } catch (Exception e) {
            status.warn("cannot close the Elasticsearch client", e);
        }
        updateSpoolGauges();
    }
}
