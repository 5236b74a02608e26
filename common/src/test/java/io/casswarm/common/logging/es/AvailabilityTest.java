package io.casswarm.common.logging.es;

import ch.qos.logback.core.ContextBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The back-off after failures, on a clock the test moves. No container. */
class AvailabilityTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ShipperCounters counters = new ShipperCounters();
    private final ContextAwareBase status = new ContextAwareBase();
    private final Availability availability;

    AvailabilityTest() {
        status.setContext(new ContextBase());
        availability = new Availability(ShipperHarness.settings(null, b -> {
            b.retryInitialMillis = 500;
            b.retryMaxMillis = 3000;
        }), counters, status, now::get);
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void backOffDoublesUpToTheMaximumAndASuccessResetsIt() {
        assertTrue(availability.due(), "tried at once at start");
        long[] expected = {500, 1000, 2000, 3000, 3000};
        for (long wait : expected) {
            availability.failed("test", new IOException("refused"));
            assertFalse(availability.due());
            assertEquals(wait, availability.millisUntilDue());
            advanceMillis(wait - 1);
            assertFalse(availability.due(), "not before " + wait + " ms");
            advanceMillis(1);
            assertTrue(availability.due());
        }
        assertFalse(counters.available());
        availability.succeeded();
        assertTrue(counters.available());
        availability.failed("again", null);
        assertEquals(500, availability.millisUntilDue(), "back to the initial wait after a success");
    }

    @Test
    void eachOutageIsReportedOnceWithItsEnd() {
        for (int i = 0; i < 4; i++) {
            availability.failed("test", null);
        }
        availability.succeeded();
        availability.succeeded();
        var messages = status.getContext().getStatusManager().getCopyOfStatusList().stream().map(Status::getMessage).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith("Elasticsearch unavailable (test)"), messages.get(0));
        assertTrue(messages.get(1).startsWith("Elasticsearch available again after 4 failed attempts"), messages.get(1));
    }
}
