package io.casswarm.common.logging.es;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A benchmark, not a timed test (behind {@code -Dbench=true}): one appender logging at a fixed
 * rate into a real Elasticsearch (the offline image), with the shipper's settings before this
 * change (no linger, refresh 1 s), after it (linger 1 s, refresh 5 s) and each change alone, in
 * interleaved rounds in one run. Per round: documents per shard-level bulk (the data stream's own {@code indices.bulk}
 * counters), Elasticsearch's CPU time per 1,000 events ({@code process.cpu.total_in_millis} of
 * its JVM) and the append latency on the logging thread.
 *
 * <p>Run: {@code mvn -B -pl common -am test -Dtest=ShipperBatchingBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true} (options: {@code -Dbench.rates=100,500}
 * events/s, {@code -Dbench.seconds=10} per round, {@code -Dbench.rounds=2} per setting and rate).
 */
@Tag("container")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ShipperBatchingBenchmarkTest {

    private record Variant(String name, long lingerMillis, String refreshInterval) {
    }

    /** Before, after, and each change alone (to tell which one does what). */
    private static final List<Variant> VARIANTS = List.of(
            new Variant("before (no linger, refresh 1s)", 0, "1s"),
            new Variant("linger only (linger 1 s, refresh 1s)", 1000, "1s"),
            new Variant("refresh only (no linger, refresh 5s)", 0, "5s"),
            new Variant("after (linger 1 s, refresh 5s)", 1000, "5s"));

    static GenericContainer<?> es;

    @TempDir
    Path spoolRoot;

    @BeforeAll
    static void startElasticsearch() {
        es = new GenericContainer<>(ElasticsearchAppenderTest.IMAGE)
                .withEnv("discovery.type", "single-node")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
                .withEnv("xpack.security.enabled", "false")
                .withExposedPorts(9200)
                .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow&timeout=1s").forPort(9200)
                        .withStartupTimeout(Duration.ofSeconds(120)));
        es.start();
        ElasticsearchAppenderTest.baseUrl = "http://" + es.getHost() + ":" + es.getMappedPort(9200);
    }

    @AfterAll
    static void stopElasticsearch() {
        if (es != null) {
            es.stop();
        }
    }

    @Test
    void batchingBeforeAndAfter() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 2);
        List<Integer> rates = new ArrayList<>();
        for (String r : System.getProperty("bench.rates", "100,500").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        round(VARIANTS.get(VARIANTS.size() - 1), 200, 3, "warm-up"); // JIT, template, first data stream
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        int n = 0;
        for (int rate : rates) {
            for (int i = 0; i < rounds; i++) {
                for (Variant v : VARIANTS) {
                    double[] r = round(v, rate, seconds, "r" + (n++));
                    results.computeIfAbsent(rate + " events/s, " + v.name(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        System.out.println("BENCH summary (medians over rounds): documents per bulk | Elasticsearch CPU ms per 1,000 events"
                + " | append p99 us");
        results.forEach((key, rows) -> System.out.printf("BENCH %-56s %8.1f | %8.1f | %6.0f%n", key,
                median(rows, 0), median(rows, 1), median(rows, 2)));
    }

    /** One round; returns {documents per bulk, ES CPU ms per 1,000 events, append p99 us}. */
    private double[] round(Variant variant, int rate, int seconds, String label) throws Exception {
        String stream = "logs-casswarm-bench-" + label;
        LoggerContext context = ElasticsearchAppenderTest.context("bench-svc");
        ElasticsearchAppender appender = new ElasticsearchAppender();
        ElasticsearchAppenderTest.configure(appender, context, stream, spoolRoot.resolve(label));
        appender.setLingerMillis(variant.lingerMillis());
        appender.setRefreshInterval(variant.refreshInterval());
        appender.setRequestTimeoutMillis(30_000);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        Logger log = context.getLogger("io.casswarm.bench.Shipping");
        log.info("round {} starts", label);
        ElasticsearchAppenderTest.awaitCount(stream, "*", 1, Duration.ofSeconds(60));

        JsonNode before = ElasticsearchAppenderTest.streamStats(stream);
        long cpuBefore = elasticsearchCpuMillis();
        int events = rate * seconds;
        long[] appendNanos = new long[events];
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < events; i++) {
            long due = start + i * intervalNanos;
            long early = due - System.nanoTime();
            if (early > 0) {
                TimeUnit.NANOSECONDS.sleep(early); // paces the load; not a wait for a condition
            }
            long t0 = System.nanoTime();
            log.info("bench event {} of round {} with a payload like an access line: GET /api/v1/collections/c/documents/{}",
                    i, label, i);
            appendNanos[i] = System.nanoTime() - t0;
        }
        ElasticsearchAppenderTest.awaitCount(stream, "*", events + 1L, Duration.ofSeconds(120));
        long cpuAfter = elasticsearchCpuMillis();
        JsonNode after = ElasticsearchAppenderTest.streamStats(stream);
        context.stop();

        long documents = after.path("indexing").path("index_total").asLong() - before.path("indexing").path("index_total").asLong();
        long bulks = after.path("bulk").path("total_operations").asLong() - before.path("bulk").path("total_operations").asLong();
        assertEquals(events, documents, "every event indexed once");
        assertEquals(0, appender.getCounters().dropped(), appender.getCounters().toString());
        double perBulk = documents / (double) Math.max(1, bulks);
        double cpuPerThousand = (cpuAfter - cpuBefore) * 1000.0 / events;
        Arrays.sort(appendNanos);
        double p99 = appendNanos[events * 99 / 100] / 1000.0;
        System.out.printf("BENCH round %-6s %-38s %4d events/s: %d documents in %d bulks (%.1f per bulk),"
                        + " Elasticsearch CPU %d ms (%.1f ms per 1,000 events), append p99 %.0f us%n", label,
                variant.name(), rate, documents, bulks, perBulk, cpuAfter - cpuBefore, cpuPerThousand, p99);
        assertTrue(bulks > 0);
        return new double[] {perBulk, cpuPerThousand, p99};
    }

    private static long elasticsearchCpuMillis() throws Exception {
        JsonNode nodes = ElasticsearchAppenderTest.get("/_nodes/stats/process").path("nodes");
        long total = 0;
        for (JsonNode node : nodes) {
            total += node.path("process").path("cpu").path("total_in_millis").asLong();
        }
        return total;
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
