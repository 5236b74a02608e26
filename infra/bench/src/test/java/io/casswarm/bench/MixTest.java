package io.casswarm.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixTest {

    @Test
    void parsesSharesInAnyOrderAndDrawsByThem() {
        Mix mix = Mix.parse("create=5, read=80,patch=15");
        assertEquals(new Mix(80, 15, 5), mix);
        assertEquals(Operation.READ, mix.pick(0));
        assertEquals(Operation.READ, mix.pick(79));
        assertEquals(Operation.PATCH, mix.pick(80));
        assertEquals(Operation.PATCH, mix.pick(94));
        assertEquals(Operation.CREATE, mix.pick(95));
        assertEquals(Operation.CREATE, mix.pick(99));
        assertEquals(mix, Mix.parse(mix.toString()), "toString is what parse reads (the ring worker gets it so)");
    }

    @Test
    void anOperationLeftOutHasShareZero() {
        Mix reads = Mix.parse("read=100");
        assertEquals(new Mix(100, 0, 0), reads);
        for (int draw = 0; draw < 100; draw++) {
            assertEquals(Operation.READ, reads.pick(draw));
        }
        assertEquals(Operation.CREATE, Mix.parse("read=0,create=100").pick(0));
    }

    @Test
    void badMixesAreRefusedWithWhatIsWrong() {
        assertTrue(message("read=80,patch=15").contains("add up to 100, they add up to 95"));
        assertTrue(message("read=80,delete=20").contains("unknown operation 'delete' (known: read, patch, create)"));
        assertTrue(message("read=eighty,patch=20").contains("whole number"));
        assertTrue(message("read=50,read=50").contains("given twice"));
        assertTrue(message("read").contains("not op=percent"));
        assertTrue(message("read=120,patch=-20").contains("negative"));
        assertTrue(message(" ").contains("op=percent"));
        assertThrows(IllegalArgumentException.class, () -> new Mix(80, 15, 5).pick(100));
    }

    @Test
    void optionsHaveTheIssuesDefaultsAndCheckTheirBounds() {
        BenchOptions options = BenchOptions.parse("--edge", "http://127.0.0.1:8080");
        assertEquals(20, options.seconds());
        assertEquals(120, options.warmupSeconds());
        assertEquals(32, options.concurrency());
        assertEquals(Mix.DEFAULT, options.mix());
        assertEquals(1024, options.sizeBytes());
        assertEquals(16, options.collections());
        assertEquals(3, options.rounds());
        BenchOptions asked = BenchOptions.parse("--duration", "5", "--warmup", "30", "--concurrency", "8", "--mix", "read=50,patch=50",
                "--size", "2048", "--collections", "4", "--rounds", "1", "--out", "/tmp/x",
                "--edge", "http://a:8080, http://b:8080");
        assertEquals(2, asked.edges().size());
        assertEquals(30, asked.warmupSeconds());
        assertTrue(error("--warmup", "0").contains("--warmup must be"));
        assertEquals(new Mix(50, 50, 0), asked.mix());
        assertEquals(2048, asked.sizeBytes());
        assertEquals("/tmp/x", asked.out().toString());
        assertTrue(error("--size", "10").contains("--size must be"));
        assertTrue(error("--concurrency", "0").contains("--concurrency must be"));
        assertTrue(error("--rounds", "two").contains("whole number"));
        assertTrue(error("--colour", "red").contains("unknown option --colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--duration"))
                .getMessage().contains("needs a value"));
        assertThrows(BenchOptions.UsageRequested.class, () -> BenchOptions.parse("--help"));
        assertEquals(BenchOptions.PATHS, options.paths());
        assertEquals(java.util.List.of("lwt-cql", "plain-cql"),
                BenchOptions.parse("--edge", "http://e:8080", "--paths", "lwt-cql, plain-cql").paths());
        assertTrue(error("--paths", "edge,ring").contains("--paths takes one or more of edge,lwt-cql,plain-cql"));
    }

    @Test
    void bodiesHaveTheAskedSize() {
        for (int size : new int[] {BenchOptions.MIN_SIZE, 1024, 65_536}) {
            assertEquals(size, Documents.body(size, 123_456_789L).length());
        }
    }

    private static String message(String mix) {
        return assertThrows(IllegalArgumentException.class, () -> Mix.parse(mix)).getMessage();
    }

    private static String error(String option, String value) {
        return assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--edge", "http://127.0.0.1:8080", option, value)).getMessage();
    }
}
