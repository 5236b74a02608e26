package io.casswarm.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per path over the measured rounds (the warm-up round left out): medians of the rounds'
 * throughput and percentiles, percentiles of all their requests together, errors, median CPU
 * per service and its median wait for a CPU; and the ratios the benchmark is for, from the medians of throughput.
 */
final class Summary {

    /** The ratios reported: numerator path, denominator path. */
    static final List<String[]> RATIOS = List.of(
            new String[] {EdgeWorkload.PATH, RingWorker.LWT},
            new String[] {EdgeWorkload.PATH, RingWorker.PLAIN},
            new String[] {RingWorker.LWT, RingWorker.PLAIN});

    record PathSummary(
            String path,
            int rounds,
            double medianThroughput,
            double minThroughput,
            double maxThroughput,
            double medianP50Ms,
            double medianP95Ms,
            double medianP99Ms,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double maxMs,
            long ops,
            long errors,
            Map<String, Long> errorsByKind,
            Map<String, Double> medianCpu,
            Map<String, Double> medianPrometheus,
            Map<String, Double> medianWaiting) {
    }

    private Summary() {
    }

    /** Path → its summary, in the order paths first appear; warm-up rounds are left out. */
    static Map<String, PathSummary> of(List<RoundResult> rounds) {
        Map<String, List<RoundResult>> byPath = new LinkedHashMap<>();
        for (RoundResult round : rounds) {
            if (!round.warmup()) {
                byPath.computeIfAbsent(round.path(), p -> new ArrayList<>()).add(round);
            }
        }
        Map<String, PathSummary> summaries = new LinkedHashMap<>();
        byPath.forEach((path, list) -> summaries.put(path, summarize(path, list)));
        return summaries;
    }

    private static PathSummary summarize(String path, List<RoundResult> rounds) {
        Histogram all = null;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, List<Double>> cpu = new TreeMap<>();
        Map<String, List<Double>> prometheus = new TreeMap<>();
        Map<String, List<Double>> waiting = new TreeMap<>();
        long ops = 0;
        long errorCount = 0;
        for (RoundResult round : rounds) {
            Histogram latencies = round.latencies();
            if (all == null) {
                all = latencies;
            } else {
                all.add(latencies);
            }
            ops += round.ops();
            errorCount += round.errors();
            round.errorsByKind().forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            round.cpu().forEach((service, cores) -> cpu.computeIfAbsent(service, s -> new ArrayList<>()).add(cores));
            round.prometheus().forEach((name, value) -> prometheus.computeIfAbsent(name, s -> new ArrayList<>()).add(value));
            round.waiting().forEach((service, threads) -> waiting.computeIfAbsent(service, s -> new ArrayList<>()).add(threads));
        }
        List<Double> throughput = rounds.stream().map(RoundResult::throughput).toList();
        Map<String, Double> medianCpu = medians(cpu);
        return new PathSummary(path, rounds.size(), median(throughput),
                throughput.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                throughput.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                median(rounds.stream().map(RoundResult::p50Ms).toList()),
                median(rounds.stream().map(RoundResult::p95Ms).toList()),
                median(rounds.stream().map(RoundResult::p99Ms).toList()),
                RoundResult.ms(all, 50), RoundResult.ms(all, 95), RoundResult.ms(all, 99),
                all.getMaxValue() / 1000.0, ops, errorCount, errors, medianCpu, medians(prometheus),
                medians(waiting));
    }

    /** Name → the median of its values (over the rounds that had one). */
    private static Map<String, Double> medians(Map<String, List<Double>> values) {
        Map<String, Double> medians = new TreeMap<>();
        values.forEach((name, list) -> medians.put(name, median(list)));
        return medians;
    }

    /** "a/b" → median throughput of a over median throughput of b, for the paths both measured. */
    static Map<String, Double> ratios(Map<String, PathSummary> summaries) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String[] pair : RATIOS) {
            PathSummary numerator = summaries.get(pair[0]);
            PathSummary denominator = summaries.get(pair[1]);
            if (numerator != null && denominator != null && denominator.medianThroughput() > 0) {
                ratios.put(pair[0] + "/" + pair[1], numerator.medianThroughput() / denominator.medianThroughput());
            }
        }
        return ratios;
    }

    /** The median; of an even count, the mean of the two middle values. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
