package io.casswarm.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunQueueTest {

    @Test
    void readsTheWaitOfEveryThreadAndSkipsWhatIsNotASchedstatLine() {
        Map<String, Long> waited = RunQueue.parseLines("""
                /proc/1/task/1/schedstat:5000 7000 12
                /proc/1/task/9/schedstat:100 250 3
                grep: /proc/77/task/77/schedstat: No such file or directory
                /proc/2/task/2/schedstat:garbage
                """);
        assertEquals(Map.of("/proc/1/task/1/schedstat", 7000L, "/proc/1/task/9/schedstat", 250L), waited);
    }

    @Test
    void sumsEachServicesThreadsOverTheWindowCountingNewThreadsWholeAndImpossibleReadingsNot() {
        Map<String, String> serviceOf = Map.of("aaa", "gate", "bbb", "gate", "ccc", "storage");
        RunQueue.Snapshot before = new RunQueue.Snapshot(0, Map.of(
                "aaa", Map.of("t1", 1_000_000_000L, "t2", 500_000_000L),
                "bbb", Map.of("t1", 0L),
                "ccc", Map.of("t1", 2_000_000_000L, "gone", 9_000_000_000L)));
        RunQueue.Snapshot after = new RunQueue.Snapshot(2_000_000_000L, Map.of(
                "aaa", Map.of("t1", 3_000_000_000L, "t2", 500_000_000L, "new", 1_000_000_000L),
                "bbb", Map.of("t1", 1_000_000_000L),
                "ccc", Map.of("t1", 3_000_000_000L, "impossible", 300_000_000_000L)));
        // gate: (2 + 0 + 1) s in task aaa and 1 s in task bbb over 2 s; storage: 1 s over 2 s, the
        // thread claiming 300 s of wait within 2 s left out
        assertEquals(Map.of("gate", 2.0, "storage", 0.5), RunQueue.waiting(serviceOf, before, after));
    }
}
