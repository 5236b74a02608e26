package io.casswarm.e2e;

import java.util.concurrent.locks.LockSupport;

/**
 * One client's request rate: {@link #await()} returns at most {@code perSecond} times a second.
 * The e2e loads are paced on purpose: on the shared 2-core machine an unpaced client only
 * measures CPU starvation, and a starved machine restarts killed tasks minutes late.
 * A client that falls behind starts again from now (no burst to catch up).
 */
final class Pace {

    private final long periodNanos;
    private long next = System.nanoTime();

    Pace(int perSecond) {
        this.periodNanos = 1_000_000_000L / perSecond;
    }

    /** Waits for this client's next slot. */
    void await() {
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        } else {
            next = System.nanoTime();
        }
    }
}
