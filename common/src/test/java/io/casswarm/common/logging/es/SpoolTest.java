package io.casswarm.common.logging.es;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {

    @TempDir
    Path dir;

    private static List<LogRecord> records(int from, int count) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new LogRecord("id-" + i, ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<Integer> numbers(List<Spool.Pending> pending) {
        return pending.stream().map(p -> Integer.parseInt(p.record().id().substring(3))).toList();
    }

    @Test
    void deliversInOrderAcrossSegmentsAndCleansUp() throws IOException {
        try (Spool spool = new Spool(dir, 1 << 20, 4096, 0)) {
            assertTrue(spool.isEmpty());
            assertEquals(new Spool.Appended(200, 0, 0), spool.append(records(0, 200)));
            assertEquals(200, spool.pendingRecords());
            assertTrue(segmentCount() > 5, "rolled into several segments");
            List<Integer> seen = new ArrayList<>();
            while (!spool.isEmpty()) {
                List<Spool.Pending> chunk = spool.peek(30, Long.MAX_VALUE);
                seen.addAll(numbers(chunk));
                spool.commit(chunk);
            }
            assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), seen);
            assertEquals(0, spool.sizeBytes());
            assertEquals(1, segmentCount(), "delivered segments deleted");
        }
    }

    @Test
    void peekWithoutCommitRepeatsAndPartialCommitResumes() throws IOException {
        try (Spool spool = new Spool(dir, 1 << 20, 4096, 0)) {
            spool.append(records(0, 10));
            List<Spool.Pending> first = spool.peek(5, Long.MAX_VALUE);
            assertEquals(first.stream().map(p -> p.record().id()).toList(),
                    spool.peek(5, Long.MAX_VALUE).stream().map(p -> p.record().id()).toList());
            spool.commit(first.subList(0, 2));
            assertEquals(List.of(2, 3, 4), numbers(spool.peek(3, Long.MAX_VALUE)));
            assertEquals(8, spool.pendingRecords());
        }
    }

    @Test
    void reopenResumesAtTheSavedCursor() throws IOException {
        try (Spool spool = new Spool(dir, 1 << 20, 4096, 1000)) {
            spool.append(records(0, 50));
            spool.commit(spool.peek(20, Long.MAX_VALUE));
        }
        try (Spool spool = new Spool(dir, 1 << 20, 4096, 1000)) {
            assertEquals(30, spool.pendingRecords());
            assertEquals(20, numbers(spool.peek(1, Long.MAX_VALUE)).get(0));
            spool.append(records(50, 5));
            List<Integer> all = new ArrayList<>();
            while (!spool.isEmpty()) {
                List<Spool.Pending> c = spool.peek(7, Long.MAX_VALUE);
                all.addAll(numbers(c));
                spool.commit(c);
            }
            assertEquals(java.util.stream.IntStream.range(20, 55).boxed().toList(), all);
        }
    }

    @Test
    void abandonedSpoolIsRecoveredLikeAfterACrash() throws IOException {
        Spool spool = new Spool(dir, 1 << 20, 4096, 1000);
        spool.append(records(0, 40));
        spool.commit(spool.peek(10, Long.MAX_VALUE));
        spool.abandon();
        try (Spool again = new Spool(dir, 1 << 20, 4096, 1000)) {
            assertEquals(30, again.pendingRecords());
            assertEquals(10, numbers(again.peek(1, Long.MAX_VALUE)).get(0));
        }
    }

    @Test
    void tornTailIsTruncatedOnOpen() throws IOException {
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16, 0)) {
            spool.append(records(0, 3));
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7); // the last record loses its end, as in a crash mid-write
        }
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16, 0)) {
            assertEquals(2, spool.pendingRecords());
            assertFalse(spool.drainWarnings().isEmpty());
            spool.append(records(3, 1));
            assertEquals(List.of(0, 1, 3), numbers(spool.peek(10, Long.MAX_VALUE)));
        }
    }

    @Test
    void corruptRecordEndsTheSegment() throws IOException {
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16, 0)) {
            spool.append(records(0, 3));
        }
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x55; // flip bits in the last record's payload
        Files.write(segment, bytes);
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16, 0)) {
            assertEquals(List.of(0, 1), numbers(spool.peek(10, Long.MAX_VALUE)));
        }
    }

    @Test
    void sizeLimitDropsOldestSegmentsAndCountsThem() throws IOException {
        long max = 16 * 1024;
        try (Spool spool = new Spool(dir, max, 4096, 0)) {
            long dropped = 0;
            for (int i = 0; i < 20; i++) {
                Spool.Appended appended = spool.append(records(i * 50, 50));
                assertEquals(50, appended.written(), "each record fits a segment");
                dropped += appended.droppedOldest();
                assertTrue(spool.sizeBytes() <= max, "spool within its limit: " + spool.sizeBytes());
            }
            assertTrue(dropped > 0);
            assertEquals(1000, dropped + spool.pendingRecords(), "every event is either kept or counted");
            List<Integer> kept = new ArrayList<>();
            while (!spool.isEmpty()) {
                List<Spool.Pending> c = spool.peek(100, Long.MAX_VALUE);
                kept.addAll(numbers(c));
                spool.commit(c);
            }
            assertEquals(999, kept.get(kept.size() - 1), "the newest are kept");
            assertEquals(java.util.stream.IntStream.range((int) dropped, 1000).boxed().toList(), kept,
                    "the oldest were dropped, the rest is contiguous and in order");
        }
    }

    @Test
    void secondProcessCannotOpenALockedSpool() throws IOException {
        try (Spool ignored = new Spool(dir, 1 << 20, 4096, 0)) {
            assertThrows(IOException.class, () -> new Spool(dir, 1 << 20, 4096, 0));
        }
    }

    private long segmentCount() throws IOException {
        return segments().size();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }
}
