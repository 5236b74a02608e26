package io.casswarm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * results.json: everything a run measured, for machines. {@code rounds} holds every round of
 * every path in the order they ran (warm-up first, round 0), each with its timeline, its
 * latency histogram (HdrHistogram, compressed, base64: rounds can be merged again) and CPU per
 * service; {@code summary} the medians per path over the measured rounds; {@code ratios} the
 * throughput ratios of those medians.
 */
final class ResultsFile {

    /** Bumped when a field changes meaning or goes away. */
    static final int FORMAT = 1;

    record Elasticsearch(long documents, long bulks, double documentsPerBulk, double seconds) {
    }

    record Results(
            int format,
            String started,
            String finished,
            Map<String, Object> options,
            Map<String, Object> cluster,
            List<RoundResult> rounds,
            Map<String, Summary.PathSummary> summary,
            Map<String, Double> ratios,
            Elasticsearch elasticsearch,
            List<String> problems) {
    }

    private ResultsFile() {
    }

    static Map<String, Object> options(BenchOptions options) {
        return Map.of("duration", options.seconds(), "warmupDuration", options.warmupSeconds(),
                "concurrency", options.concurrency(), "mix", options.mix().toString(), "size", options.sizeBytes(),
                "collections", options.collections(), "documents", options.documents(), "rounds", options.rounds());
    }

    static Path write(Path folder, Results results, ObjectMapper json) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve("results.json");
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
        return file;
    }
}
