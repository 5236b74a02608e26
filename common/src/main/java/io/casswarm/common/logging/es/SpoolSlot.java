package io.casswarm.common.logging.es;

import ch.qos.logback.core.spi.ContextAware;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The shipper's {@link Spool}, when it has one, and the counting of what goes into it.
 *
 * <p>Three states: no spool configured (events that cannot be delivered are dropped, counted as
 * {@code droppedNoSpool}); the spool open; or configured but not openable yet. The last happens
 * in a start-first rolling update, where the new task starts while the one it replaces still
 * holds the slot's spool lock: the slot tries again every {@value #REOPEN_SECONDS} s and takes
 * the spool over once it is free.
 */
final class SpoolSlot {

    static final long REOPEN_SECONDS = 5;

    private final ShipperSettings settings;
    private final ShipperCounters counters;
    private final ContextAware status;
    private final LongSupplier nanoClock;
    private Spool spool;
    private long nextOpenNanos;

    SpoolSlot(ShipperSettings settings, ShipperCounters counters, ContextAware status, LongSupplier nanoClock) {
        this.settings = settings;
        this.counters = counters;
        this.status = status;
        this.nanoClock = nanoClock;
        if (settings.spoolDir() == null) {
            status.addWarn("no spoolDir configured: while Elasticsearch is down events are dropped (counted)");
            return;
        }
        try {
            open();
        } catch (IOException | RuntimeException e) {
            status.addWarn("cannot open the log spool " + settings.spoolDir() + " yet (" + e.getMessage() + "); shipping"
                    + " without it and trying again every " + REOPEN_SECONDS + " s. Meanwhile, if Elasticsearch is"
                    + " down, events are dropped (counted as droppedNoSpool)");
            nextOpenNanos = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(REOPEN_SECONDS);
        }
    }

    private void open() throws IOException {
        Path dir = settings.spoolDir();
        Spool opened = new Spool(dir, settings.maxSpoolBytes(), settings.spoolSegmentBytes(), settings.spoolFsyncMillis());
        opened.drainWarnings().forEach(status::addWarn);
        if (!opened.isEmpty()) {
            status.addInfo("log spool " + dir + " holds " + opened.pendingRecords()
                    + " events from an earlier run; delivering them first");
        }
        spool = opened;
        updateGauges();
    }

    /** Tries again to open a configured spool that could not be opened so far, when it is time. */
    void openIfDue() {
        if (spool != null || settings.spoolDir() == null || nanoClock.getAsLong() - nextOpenNanos < 0) {
            return;
        }
        try {
            open();
            status.addInfo("log spool " + settings.spoolDir() + " opened");
        } catch (IOException | RuntimeException e) {
            nextOpenNanos = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(REOPEN_SECONDS);
        }
    }

    /** Whether events wait in the spool (new events then queue up behind them, to keep order). */
    boolean hasPending() {
        return spool != null && !spool.isEmpty();
    }

    /**
     * Keeps records for later, in order, and counts them: {@code spooled} for those written,
     * {@code dropped*} for those that could not be (no spool, a write error, too large) and for
     * older ones the size limit pushed out.
     */
    void append(List<LogRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        if (spool == null) {
            counters.droppedNoSpool.add(records.size());
            return;
        }
        try {
            Spool.Appended appended = spool.append(records);
            counters.spooled.add(appended.written());
            counters.droppedOversize.add(appended.droppedOversize());
            counters.droppedSpoolFull.add(appended.droppedOldest());
            if (appended.droppedOldest() > 0) {
                status.addWarn("log spool " + spool.directory() + " full: dropped the " + appended.droppedOldest()
                        + " oldest undelivered events (drop rule: oldest segment first)");
            }
            if (appended.droppedOversize() > 0) {
                status.addWarn(appended.droppedOversize() + " log events too large for the spool " + spool.directory()
                        + " were dropped (counted as droppedOversize)");
            }
        } catch (IOException | RuntimeException e) {
            counters.droppedNoSpool.add(records.size());
            status.addWarn("cannot write the log spool " + spool.directory() + "; " + records.size()
                    + " events dropped", e);
        }
        updateGauges();
    }

    /** The oldest waiting events, without consuming them. */
    List<Spool.Pending> peek(int maxEvents, long maxBytes) throws IOException {
        return spool == null ? List.of() : spool.peek(maxEvents, maxBytes);
    }

    /** Consumes a delivered prefix of the last {@link #peek}. */
    void commit(List<Spool.Pending> delivered) {
        try {
            spool.commit(delivered);
        } catch (IOException | RuntimeException e) {
            status.addWarn("cannot advance the log spool cursor " + spool.directory()
                    + " (events may be sent again; Elasticsearch answers 409 for them)", e);
        }
        updateGauges();
    }

    /** Fsyncs if the fsync interval has passed. */
    void sync() {
        if (spool == null) {
            return;
        }
        try {
            spool.maybeSync();
        } catch (IOException | RuntimeException e) {
            status.addWarn("cannot fsync the log spool " + spool.directory(), e);
        }
    }

    long pending() {
        return spool == null ? 0 : spool.pendingRecords();
    }

    Path directory() {
        return settings.spoolDir();
    }

    /**
     * Closes the spool: cleanly (fsync, cursor saved), or {@code asCrash}: file handles and
     * lock released as a killed process would leave them (tests of crash recovery).
     */
    void close(boolean asCrash) {
        if (spool == null) {
            return;
        }
        try {
            if (asCrash) {
                spool.abandon();
            } else {
                spool.close();
            }
        } catch (IOException | RuntimeException e) {
            status.addWarn("cannot close the log spool " + spool.directory(), e);
        }
        updateGauges();
    }

    private void updateGauges() {
        if (spool != null) {
            counters.spoolPending = spool.pendingRecords();
            counters.spoolBytes = spool.sizeBytes();
        }
    }
}
