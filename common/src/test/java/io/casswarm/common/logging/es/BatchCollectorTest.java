package io.casswarm.common.logging.es;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a batch goes: full by count, full by bytes, the linger over, or a stop. No container. */
class BatchCollectorTest {

    private final ArrayBlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(10_000);
    private final AtomicBoolean stop = new AtomicBoolean();

    private BatchCollector collector(int maxEvents, long maxBytes) {
        return new BatchCollector(queue, ShipperHarness.settings(null, b -> {
            b.maxBatchEvents = maxEvents;
            b.maxBatchBytes = maxBytes;
        }), stop::get);
    }

    private void offer(int events, int bytesEach) {
        for (int i = 0; i < events; i++) {
            queue.add(new LogRecord("id-" + i, "x".repeat(bytesEach).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void fullDecisions() {
        BatchCollector c = collector(100, 1000);
        assertTrue(c.full(100, 10));
        assertTrue(c.full(1, 1000));
        assertTrue(!c.full(99, 999));
    }

    @Test
    void aBatchFullByCountGoesWithoutLingering() throws Exception {
        offer(250, 10);
        long start = System.nanoTime();
        List<LogRecord> batch = collector(100, 1 << 20).collect(0, 60_000);
        assertEquals(100, batch.size());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "did not linger");
        assertEquals(150, queue.size());
    }

    @Test
    void aBatchFullByBytesGoesWithoutLingering() throws Exception {
        offer(10, 300);
        List<LogRecord> batch = collector(1000, 1000).collect(0, 60_000);
        assertEquals(4, batch.size(), "stops at the first event that reaches the byte bound");
    }

    @Test
    void nothingQueuedAndNoWaitGivesAnEmptyBatchAtOnce() throws Exception {
        assertTrue(collector(100, 1 << 20).collect(0, 60_000).isEmpty());
    }

    @Test
    void theLingerTakesEventsThatArriveDuringIt() throws Exception {
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                offer(1, 10);
            }
        });
        offer(1, 10);
        producer.start();
        List<LogRecord> batch = collector(6, 1 << 20).collect(0, 60_000);
        producer.join();
        assertEquals(6, batch.size(), "the first event and the five that came during the linger");
    }

    @Test
    void withoutLingerOnlyWhatIsQueuedIsTaken() throws Exception {
        offer(3, 10);
        assertEquals(3, collector(100, 1 << 20).collect(0, 0).size());
    }

    @Test
    void aStopEndsTheLinger() throws Exception {
        offer(1, 10);
        stop.set(true);
        long start = System.nanoTime();
        List<LogRecord> batch = collector(100, 1 << 20).collect(0, 60_000);
        assertEquals(1, batch.size());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "did not linger after the stop");
    }
}
