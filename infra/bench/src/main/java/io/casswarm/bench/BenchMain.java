package io.casswarm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The benchmark's run, on the host ({@code infra/cluster bench} runs {@code java -jar
 * bench.jar}). Preparation: edge healthy, log in, documents created on every path, the ring
 * worker started, {@code docker stats} streaming on every node. Every round is framed by two
 * readings of each task's run-queue wait ({@link RunQueue}). Then a warm-up round (every path
 * for {@code --warmup} seconds) and the measured rounds, each running every path once, the order
 * rotating from round to round so that a noisy moment of the machine does not always hit the
 * same path. Last: Elasticsearch's counters over the run, results.json, chart.png, and a summary
 * on stdout.
 */
public final class BenchMain {

    private final BenchOptions options;
    private final ObjectMapper json = new ObjectMapper();
    private final long began = System.nanoTime();
    private final List<String> problems = new ArrayList<>();

    private BenchMain(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageRequested e) {
            System.out.print(BenchOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new BenchMain(options).run();
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        String started = Instant.now().toString();
        String run = UUID.randomUUID().toString().substring(0, 8);
        boolean edgeRuns = options.paths().contains(EdgeWorkload.PATH);
        Path passwordFile = options.passwordFile();
        if (edgeRuns && !Files.isReadable(passwordFile)) {
            throw new IllegalStateException("no administrator password at " + passwordFile + ": run infra/cluster up first,"
                    + " or pass --password-file (the file of the checkout that deployed the stack)");
        }
        Swarm swarm = new Swarm(options.stack());
        List<Swarm.Task> tasks = swarm.tasks();
        if (tasks.stream().noneMatch(t -> t.service().equals("storage"))) {
            throw new IllegalStateException("stack " + options.stack() + " runs no storage task: is the cluster up?"
                    + " (infra/cluster status)");
        }
        progress("run " + run + ": " + String.join(", ", options.paths()) + "; " + options.mix() + ", "
                + options.sizeBytes() + " B bodies, " + options.concurrency() + " in flight, " + options.collections()
                + " collections; warm-up " + options.warmupSeconds() + " s, then " + options.rounds() + " rounds of "
                + options.seconds() + " s per path; results in " + options.out());

        EdgeWorkload edge = new EdgeWorkload(options, run, json);
        if (edgeRuns) {
            edge.checkHealth();
            edge.login(Files.readString(passwordFile).strip());
            progress("edge: logged in as admin on " + options.edges().get(0) + "; creating "
                    + options.collections() * options.documents() + " documents");
            edge.preload();
        }

        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("edges", options.edges().stream().map(Object::toString).toList());
        cluster.put("storageImage", swarm.storageImage());
        cluster.put("tasks", tasks.stream().map(t -> t.service() + "@" + t.node()).sorted().toList());
        List<RoundResult> rounds = new ArrayList<>();
        ElasticsearchCounters elasticsearch = new ElasticsearchCounters(swarm, json);
        Optional<PrometheusReadings> prometheus = PrometheusReadings.of(swarm, json, tasks);
        if (prometheus.isEmpty()) {
            problems.add("the stack runs no prometheus: rounds carry docker stats only");
        }
        ResultsFile.Elasticsearch bulks;
        try (RingWorker ring = new RingWorker(swarm, json, run)) {
            if (options.paths().stream().anyMatch(p -> !p.equals(EdgeWorkload.PATH))) {
                progress("ring worker: starting a container of " + swarm.storageImage() + " on " + swarm.network()
                        + " (storage's context, keyspace " + RingWorker.KEYSPACE + "; the first run migrates it)");
                ring.start(options, run, jar(), options.out().resolve("ring-worker.log"));
                cluster.put("ringWorker", ring.ready());
                progress("ring worker ready: " + ring.ready());
            }
            Map<String, String> ringWorker = ring.started() ? Map.of(ring.containerId(), "bench ring worker") : Map.of();
            RunQueue runQueue = new RunQueue(swarm, tasks, ringWorker);
            try (CpuSampler cpu = new CpuSampler(swarm, tasks, ringWorker)) {
                ElasticsearchCounters.Counters before = elasticsearch.read(tasks);
                long from = System.nanoTime();
                for (int round = 0; round <= options.rounds(); round++) {
                    List<String> order = order(round, options.paths());
                    for (String path : order) {
                        rounds.add(round(path, round, edge, ring, cpu, runQueue, prometheus));
                    }
                }
                ElasticsearchCounters.Counters over = elasticsearch.read(tasks).since(before);
                bulks = new ResultsFile.Elasticsearch(over.documents(), over.bulks(), over.documentsPerBulk(),
                        (System.nanoTime() - from) / 1e9);
                problems.addAll(cpu.problems());
                problems.addAll(runQueue.problems());
            }
        }
        Map<String, Summary.PathSummary> summary = Summary.of(rounds);
        Map<String, Double> ratios = Summary.ratios(summary);
        Path results = ResultsFile.write(options.out(), new ResultsFile.Results(ResultsFile.FORMAT, started,
                Instant.now().toString(), ResultsFile.options(options), cluster, rounds, summary, ratios, bulks,
                problems), json);
        String chart;
        try {
            chart = Chart.write(options.out(), rounds, options.mix() + ", " + options.concurrency() + " in flight").toString();
        } catch (IOException | RuntimeException | Error e) {
            chart = "not written (" + e + "; fonts missing? apt-get install fonts-dejavu-core)";
        }
        print(summary, ratios, bulks);
        System.out.println("results: " + results);
        System.out.println("chart:   " + chart);
    }

    /** Warm-up and round 1 in the order edge, lwt, plain; each later round starts one further on. */
    static List<String> order(int round, List<String> chosen) {
        List<String> paths = BenchOptions.PATHS.stream().filter(chosen::contains).toList();
        int shift = round == 0 ? 0 : (round - 1) % paths.size();
        List<String> order = new ArrayList<>(paths.subList(shift, paths.size()));
        order.addAll(paths.subList(0, shift));
        return order;
    }

    private RoundResult round(String path, int round, EdgeWorkload edge, RingWorker ring, CpuSampler cpu,
                              RunQueue runQueue, Optional<PrometheusReadings> prometheus) throws Exception {
        int seconds = round == 0 ? options.warmupSeconds() : options.seconds();
        RunQueue.Snapshot queuedBefore = runQueue.read();
        long processCpu = processCpuNanos();
        long wall = System.nanoTime();
        RoundResult result = path.equals(EdgeWorkload.PATH)
                ? LoadLoop.run(path, round, options.concurrency(), seconds, options.mix(), edge)
                : ring.round(path, round, seconds);
        long end = result.startedAt() + (long) (result.seconds() * 1000);
        Map<String, Double> cores = new TreeMap<>(cpu.cores(result.startedAt() + 1000, end));
        if (path.equals(EdgeWorkload.PATH)) {
            cores.put("bench edge client (this JVM)", (processCpuNanos() - processCpu) / (double) (System.nanoTime() - wall));
        }
        result = result.withCpu(cores).withWaiting(runQueue.waiting(queuedBefore, runQueue.read()));
        if (prometheus.isPresent()) {
            try {
                result = result.withPrometheus(prometheus.get().read(end, (int) Math.round(result.seconds())));
            } catch (IllegalStateException e) {
                problems.add("round " + round + " of " + path + ": " + e.getMessage());
            }
        }
        progress(String.format("%s %-9s %7.0f ops/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  errors %d%s  CPU %s",
                round == 0 ? "warm-up" : "round " + round, path, result.throughput(), result.p50Ms(), result.p95Ms(),
                result.p99Ms(), result.errors(), result.errorsByKind().isEmpty() ? "" : " " + result.errorsByKind(),
                brief(cores)));
        progress(String.format("%s %-9s threads waiting for a CPU, on average: %s", round == 0 ? "warm-up" : "round " + round,
                path, brief(result.waiting())));
        return result;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String brief(Map<String, Double> cores) {
        return brief(cores, 6);
    }

    /** The services using most CPU first, in cores. */
    private static String brief(Map<String, Double> cores, int limit) {
        StringBuilder text = new StringBuilder();
        cores.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(limit)
                .forEach(e -> text.append(text.isEmpty() ? "" : ", ").append(e.getKey().replace(" (this JVM)", ""))
                        .append(String.format(" %.2f", e.getValue())));
        return text.toString();
    }

    private void print(Map<String, Summary.PathSummary> summary, Map<String, Double> ratios,
                       ResultsFile.Elasticsearch bulks) {
        System.out.println();
        System.out.printf("median over %d rounds of %d s (%s, %d B, %d in flight, %d collections):%n", options.rounds(),
                options.seconds(), options.mix(), options.sizeBytes(), options.concurrency(), options.collections());
        System.out.printf("  %-9s %9s %15s %8s %8s %8s %8s%n", "path", "ops/s", "(min-max)", "p50 ms", "p95 ms", "p99 ms",
                "errors");
        summary.forEach((path, s) -> System.out.printf("  %-9s %9.0f %15s %8.1f %8.1f %8.1f %8d%s%n", path,
                s.medianThroughput(), String.format("(%.0f-%.0f)", s.minThroughput(), s.maxThroughput()), s.medianP50Ms(),
                s.medianP95Ms(), s.medianP99Ms(), s.errors(), s.errorsByKind().isEmpty() ? "" : " " + s.errorsByKind()));
        ratios.forEach((name, ratio) -> System.out.printf("  throughput %-19s %.2f%n", name, ratio));
        System.out.println("  CPU in cores per service, median over each path's rounds (docker stats):");
        summary.forEach((path, s) -> System.out.printf("    %-9s %s%n", path, brief(s.medianCpu(), 30)));
        System.out.println("  Threads waiting for a CPU per service, on average, median over each path's rounds (schedstat):");
        summary.forEach((path, s) -> System.out.printf("    %-9s %s%n", path, brief(s.medianWaiting(), 30)));
        System.out.println("  From the stack's Prometheus, median over each path's rounds (none for rounds under two scrapes, 30 s):");
        summary.forEach((path, s) -> System.out.printf("    %-9s %s%n", path, s.medianPrometheus().isEmpty() ? "-"
                : s.medianPrometheus().entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", "))));
        System.out.printf("  Elasticsearch over the run: %d documents in %d bulks, %.1f documents per bulk%n",
                bulks.documents(), bulks.bulks(), bulks.documentsPerBulk());
    }

    private void progress(String line) {
        System.out.printf("[%4ds] %s%n", (System.nanoTime() - began) / 1_000_000_000L, line);
    }

    /** The jar this class was loaded from: the ring worker gets the same one. */
    private static Path jar() {
        try {
            Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("run from bench.jar (infra/cluster bench builds it), not from " + jar);
            }
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
