package io.casswarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Summary.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Summary.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, Summary.median(List.of(7.0)));
        assertThrows(IllegalArgumentException.class, () -> Summary.median(List.of()));
    }

    @Test
    void ratiosComeFromTheMediansOfTheMeasuredRoundsNotFromTheWarmUp() {
        List<RoundResult> rounds = new ArrayList<>();
        // warm-up rounds with absurd figures: they must not count
        rounds.add(round(EdgeWorkload.PATH, 0, 1_000_000, 1));
        rounds.add(round(RingWorker.LWT, 0, 1, 1));
        double[] edge = {100, 136, 114};
        double[] lwt = {833, 700, 900};
        double[] plain = {1614, 1500, 1700};
        for (int r = 1; r <= 3; r++) {
            rounds.add(round(EdgeWorkload.PATH, r, edge[r - 1], 200 + r));
            rounds.add(round(RingWorker.LWT, r, lwt[r - 1], 30));
            rounds.add(round(RingWorker.PLAIN, r, plain[r - 1], 15));
        }
        Map<String, Summary.PathSummary> summary = Summary.of(rounds);
        assertEquals(List.of(EdgeWorkload.PATH, RingWorker.LWT, RingWorker.PLAIN), List.copyOf(summary.keySet()));
        Summary.PathSummary edgeSummary = summary.get(EdgeWorkload.PATH);
        assertEquals(3, edgeSummary.rounds());
        assertEquals(114, edgeSummary.medianThroughput(), 1e-9);
        assertEquals(100, edgeSummary.minThroughput(), 1e-9);
        assertEquals(136, edgeSummary.maxThroughput(), 1e-9);
        assertEquals(3 * 1000, edgeSummary.ops());
        assertEquals(Map.of("HTTP 503", 3L), edgeSummary.errorsByKind());
        assertEquals(0.5, edgeSummary.medianCpu().get("gate"), 1e-9);
        // waiting 3, 4, 5 in rounds 1 to 3 (the warm-up's 2 left out)
        assertEquals(4.0, edgeSummary.medianWaiting().get("gate"), 1e-9);
        // all requests of the three rounds together: latencies 201, 202, 203 ms, a third each
        assertEquals(202, edgeSummary.p50Ms(), 1.0);
        Map<String, Double> ratios = Summary.ratios(summary);
        assertEquals(114 / 833.0, ratios.get("edge/lwt-cql"), 1e-9);
        assertEquals(114 / 1614.0, ratios.get("edge/plain-cql"), 1e-9);
        assertEquals(833 / 1614.0, ratios.get("lwt-cql/plain-cql"), 1e-9);
    }

    @Test
    void aPathThatWasNotMeasuredGivesNoRatio() {
        Map<String, Double> ratios = Summary.ratios(Summary.of(List.of(round(EdgeWorkload.PATH, 1, 100, 10),
                round(RingWorker.LWT, 1, 400, 10))));
        assertEquals(Map.of("edge/lwt-cql", 0.25), ratios);
    }

    @Test
    void resultsFileHoldsRoundsSummaryRatiosAndElasticsearch(@TempDir Path folder) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<RoundResult> rounds = List.of(round(EdgeWorkload.PATH, 0, 50, 300), round(EdgeWorkload.PATH, 1, 100, 200),
                round(RingWorker.LWT, 1, 400, 30), round(RingWorker.PLAIN, 1, 800, 15));
        Map<String, Summary.PathSummary> summary = Summary.of(rounds);
        BenchOptions options = BenchOptions.parse("--edge", "http://127.0.0.1:8080", "--rounds", "1");
        Path file = ResultsFile.write(folder, new ResultsFile.Results(ResultsFile.FORMAT, "2026-12-01T12:00:00Z",
                "2026-12-01T12:05:00Z", ResultsFile.options(options), Map.of("edges", List.of("http://127.0.0.1:8080")),
                rounds, summary, Summary.ratios(summary), new ResultsFile.Elasticsearch(3000, 20, 150, 120), List.of()), json);
        JsonNode read = json.readTree(file.toFile());
        assertEquals(1, read.path("format").asInt());
        assertEquals("read=80,patch=15,create=5", read.path("options").path("mix").asText());
        assertEquals(4, read.path("rounds").size());
        JsonNode first = read.path("rounds").get(0);
        for (String field : List.of("path", "round", "startedAt", "seconds", "ops", "errors", "throughput", "p50Ms",
                "p95Ms", "p99Ms", "maxMs", "operations", "errorsByKind", "timeline", "histogram", "cpu", "prometheus")) {
            assertTrue(first.has(field), "a round has " + field + ": " + first);
        }
        assertTrue(first.path("warmup").asBoolean());
        assertFalse(read.path("rounds").get(1).path("warmup").asBoolean());
        assertEquals(0.25, read.path("ratios").path("edge/lwt-cql").asDouble(), 1e-9);
        assertEquals(100, read.path("summary").path("edge").path("medianThroughput").asDouble(), 1e-9);
        assertEquals(0.4, read.path("summary").path("edge").path("medianPrometheus").path("cores gate").asDouble(), 1e-9);
        assertEquals(150, read.path("elasticsearch").path("documentsPerBulk").asDouble(), 1e-9);
        // a round read back (as the host reads the ring worker's lines) keeps its histogram
        RoundResult back = json.treeToValue(read.path("rounds").get(1), RoundResult.class);
        assertEquals(1000, back.latencies().getTotalCount());
        assertEquals(200, back.latencies().getValueAtPercentile(50) / 1000.0, 1.0);
    }

    @Test
    void roundsRotateAfterTheWarmUp() {
        assertEquals(List.of("edge", "lwt-cql", "plain-cql"), BenchMain.order(0, BenchOptions.PATHS));
        assertEquals(List.of("edge", "lwt-cql", "plain-cql"), BenchMain.order(1, BenchOptions.PATHS));
        assertEquals(List.of("lwt-cql", "plain-cql", "edge"), BenchMain.order(2, BenchOptions.PATHS));
        assertEquals(List.of("plain-cql", "edge", "lwt-cql"), BenchMain.order(3, BenchOptions.PATHS));
        assertEquals(List.of("edge", "lwt-cql", "plain-cql"), BenchMain.order(4, BenchOptions.PATHS));
        assertEquals(List.of("plain-cql", "lwt-cql"), BenchMain.order(2, List.of("plain-cql", "lwt-cql")));
    }

    /**
     * A round of 1,000 requests of {@code latencyMs} each, 10 s, one 503, gate at half a core (0.4 by
     * Prometheus) with 2 + round threads waiting for a CPU.
     */
    private static RoundResult round(String path, int round, double throughput, long latencyMs) {
        Histogram histogram = new Histogram(60_000_000L, 3);
        histogram.recordValueWithCount(latencyMs * 1000, 1000);
        return new RoundResult(path, round, 1_000L * round, 10, 1000, 1, throughput, latencyMs, latencyMs, latencyMs,
                latencyMs, Map.of("read", 1000L), Map.of("HTTP 503", 1L),
                List.of(new RoundResult.TimePoint(1.0, 100, latencyMs, latencyMs, 0)), RoundResult.encode(histogram),
                Map.of("gate", 0.5), Map.of("cores gate", 0.4), Map.of("gate", 2.0 + round));
    }
}
