package io.casswarm.common.logging.es;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import static io.casswarm.common.logging.es.ShipperHarness.await;
import static io.casswarm.common.logging.es.ShipperHarness.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipper's decisions (linger, routing between Elasticsearch and the spool, what each
 * outcome counts as), against {@link FakeElasticsearch} and a real spool on disk. No container.
 */
class LogShipperTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "e-" + i).toList();
    }

    @Test
    void aBurstGoesInFullBatchesWithoutWaitingForTheLinger() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> {
            b.lingerMillis = 60_000;
            b.maxBatchEvents = 100;
        }))) {
            h.log(250);
            await("two full batches", WAIT, () -> h.elasticsearch.indexedIds().size() == 200, h.elasticsearch::bulkSizes);
            assertEquals(List.of(100, 100), h.elasticsearch.bulkSizes(), "full batches go at once; the rest lingers");
            h.stop();
            assertEquals(List.of(100, 100, 50), h.elasticsearch.bulkSizes(), "stopping sends the lingering batch");
            assertEquals(ids(1, 250), h.elasticsearch.indexedIds());
            assertEquals(3, h.counters.bulks());
            assertEquals(250, h.counters.shipped());
        }
    }

    @Test
    void aLoneEventWaitsForTheLingerThenGoesAlone() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> b.lingerMillis = 1000))) {
            await("Elasticsearch prepared", WAIT, () -> h.elasticsearch.prepareCalls() == 1, h::statusMessages);
            long start = System.nanoTime();
            h.log(1);
            await("the event indexed", WAIT, () -> h.elasticsearch.indexedIds().size() == 1, h.elasticsearch::bulkSizes);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 990, "sent after the linger, not before: " + waitedMillis + " ms");
            assertEquals(List.of(1), h.elasticsearch.bulkSizes());
        }
    }

    @Test
    void anOutageSpoolsAndThenDeliversEveryEventOnceInOrder() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> b.maxBatchEvents = 100), fake -> fake.up(false))) {
            h.log(300);
            await("300 events spooled", WAIT, () -> h.counters.spoolPending() == 300, h.counters::toString);
            assertEquals(0, h.elasticsearch.indexedIds().size());
            assertTrue(!h.counters.available(), "Elasticsearch counted as unavailable");
            // 50 more arrive while the first spooled batch is being sent: they must queue up behind the spool.
            var once = new java.util.concurrent.atomic.AtomicBoolean();
            h.elasticsearch.answer(r -> {
                if (r.id().equals("e-1") && once.compareAndSet(false, true)) {
                    h.log(50);
                }
                return null;
            });
            h.elasticsearch.up(true);
            await("350 events shipped", WAIT, () -> h.counters.shipped() == 350, h.counters::toString);
            h.stop();
            assertEquals(ids(1, 350), h.elasticsearch.indexedIds(), "every event once, in order");
            ShipperCounters c = h.counters;
            assertEquals(350, c.shipped());
            assertEquals(0, c.dropped());
            assertEquals(0, c.duplicates());
            assertEquals(350, c.spooled(), "while the spool held events, new ones went in behind them");
            assertEquals(0, c.spoolPending());
            assertEquals(List.of(100, 100, 100, 50), h.elasticsearch.bulkSizes(), "the spool is read in full batches");
            assertEquals(1, h.statusMessages().stream().filter(m -> m.startsWith("Elasticsearch unavailable")).count(),
                    "the outage is reported once: " + h.statusMessages());
        }
    }

    @Test
    void anOversizeEventIsCountedAsDroppedNotAsSpooled() throws Exception {
        // Spool limit 16 KB: a record above a quarter of it cannot be kept.
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> {
            b.maxSpoolBytes = 16 << 10;
            b.spoolSegmentBytes = 4 << 10;
        }), fake -> fake.up(false))) {
            h.log("{\"n\":1}");
            h.log("{\"big\":\"" + "x".repeat(8000) + "\"}");
            h.log("{\"n\":3}");
            await("the three events handled", WAIT, () -> h.counters.spoolPending() + h.counters.dropped() == 3,
                    h.counters::toString);
            ShipperCounters c = h.counters;
            assertEquals(2, c.spooled(), "only what the spool kept counts as spooled: " + c);
            assertEquals(1, c.droppedOversize(), c.toString());
            assertEquals(1, c.dropped());
            assertEquals(0, c.droppedSpoolFull(), "nothing was pushed out of the spool");
            h.elasticsearch.up(true);
            await("the two kept events shipped", WAIT, () -> c.shipped() == 2, c::toString);
            assertEquals(List.of("e-1", "e-3"), h.elasticsearch.indexedIds());
        }
    }

    @Test
    void afterAnEventToRetryTheRestIsSentAgainAndNothingIsIndexedTwice() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> b.lingerMillis = 200))) {
            var refusedOnce = new HashSet<String>();
            h.elasticsearch.answer(r -> r.id().equals("e-3") && refusedOnce.add(r.id()) ? Outcome.RETRY : null);
            h.log(5);
            await("all five indexed", WAIT, () -> h.elasticsearch.indexedIds().size() == 5, h.counters::toString);
            await("the spool delivered", WAIT, () -> h.counters.spoolPending() == 0 && h.counters.shipped() == 5,
                    h.counters::toString);
            ShipperCounters c = h.counters;
            assertEquals(new HashSet<>(ids(1, 5)), new HashSet<>(h.elasticsearch.indexedIds()));
            assertEquals(3, c.spooled(), "e-3 and what followed it went to the spool: " + c);
            assertEquals(3, c.retried());
            assertEquals(2, c.duplicates(), "e-4 and e-5 were indexed the first time: 409 the second");
            assertEquals(0, c.dropped());
            assertEquals(List.of(5, 3), h.elasticsearch.bulkSizes());
        }
    }

    @Test
    void aRejectedEventIsDroppedCountedAndReported() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(dir, b -> { }))) {
            h.elasticsearch.answer(r -> r.id().equals("e-2") ? Outcome.REJECTED : null);
            h.log(3);
            await("three events settled", WAIT, () -> h.counters.shipped() + h.counters.dropped() == 3, h.counters::toString);
            assertEquals(2, h.counters.shipped());
            assertEquals(1, h.counters.droppedRejected());
            assertEquals(0, h.counters.spooled());
            assertTrue(h.statusMessages().stream().anyMatch(m -> m.contains("rejected") && m.contains("e-2")),
                    h.statusMessages().toString());
        }
    }

    @Test
    void stoppingWhileElasticsearchIsDownKeepsEventsForTheNextStart() throws Exception {
        try (ShipperHarness first = new ShipperHarness(settings(dir, b -> { }), fake -> fake.up(false))) {
            first.log(40);
            first.stop();
            assertEquals(40, first.counters.spoolPending());
            assertTrue(first.statusMessages().stream().anyMatch(m -> m.contains("stopped with 40 events")),
                    first.statusMessages().toString());
        }
        try (ShipperHarness second = new ShipperHarness(settings(dir, b -> { }))) {
            await("the spool of the earlier run delivered", WAIT, () -> second.counters.shipped() == 40,
                    second.counters::toString);
            assertEquals(ids(1, 40), second.elasticsearch.indexedIds());
        }
    }

    @Test
    void aCrashLeavesTheSpoolForTheNextStart() throws Exception {
        try (ShipperHarness crashed = new ShipperHarness(settings(dir, b -> { }), fake -> fake.up(false))) {
            crashed.log(25);
            await("25 events spooled", WAIT, () -> crashed.counters.spoolPending() == 25, crashed.counters::toString);
            crashed.crash();
        }
        try (ShipperHarness next = new ShipperHarness(settings(dir, b -> { }))) {
            await("the crashed run's spool delivered", WAIT, () -> next.counters.shipped() == 25,
                    next.counters::toString);
            assertEquals(ids(1, 25), next.elasticsearch.indexedIds());
        }
    }

    @Test
    void withoutASpoolUndeliverableEventsAreDroppedAndCounted() throws Exception {
        try (ShipperHarness h = new ShipperHarness(settings(null, b -> { }), fake -> fake.up(false))) {
            h.log(10);
            await("ten events dropped", WAIT, () -> h.counters.droppedNoSpool() == 10, h.counters::toString);
            assertEquals(0, h.counters.spooled());
        }
    }
}
