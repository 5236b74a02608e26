package io.casswarm.common.logging.es;

import ch.qos.logback.core.spi.ContextAware;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether Elasticsearch is worth trying now. After a failure the next try waits, doubling from
 * {@code retryInitialMillis} up to {@code retryMaxMillis}; a success resets that. Reports the
 * change from up to down, and back, once each (not every failed try).
 */
final class Availability {

    private final long initialMillis;
    private final long maxMillis;
    private final LongSupplier nanoClock;
    private final ShipperCounters counters;
    private final ContextAware status;

    private long backoffMillis;
    private long retryAtNanos;
    private boolean down;
    private long failuresWhileDown;

    Availability(ShipperSettings settings, ShipperCounters counters, ContextAware status, LongSupplier nanoClock) {
        this.initialMillis = settings.retryInitialMillis();
        this.maxMillis = settings.retryMaxMillis();
        this.counters = counters;
        this.status = status;
        this.nanoClock = nanoClock;
        this.backoffMillis = initialMillis;
        this.retryAtNanos = nanoClock.getAsLong();
    }

    /** Whether the back-off after the last failure is over (always, while up). */
    boolean due() {
        return nanoClock.getAsLong() - retryAtNanos >= 0;
    }

    long millisUntilDue() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(retryAtNanos - nanoClock.getAsLong()));
    }

    void failed(String what, Throwable cause) {
        counters.available = false;
        retryAtNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        if (!down) {
            down = true;
            failuresWhileDown = 0;
            status.addWarn("Elasticsearch unavailable (" + what + "); spooling events to disk, retrying with back-off"
                    + " up to " + maxMillis + " ms", cause);
        }
        failuresWhileDown++;
        backoffMillis = Math.min(maxMillis, backoffMillis * 2);
    }

    void succeeded() {
        counters.available = true;
        backoffMillis = initialMillis;
        if (down) {
            down = false;
            status.addInfo("Elasticsearch available again after " + failuresWhileDown + " failed attempts;"
                    + " delivering the spool (" + counters.spoolPending() + " events)");
        }
    }
}
