package io.casswarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the stack's own Prometheus saw during a round, beside {@code docker stats}: CPU per
 * service as the services report it (gate and storage: Micrometer's {@code process_cpu_usage}
 * times the cores the JVM sees; Cassandra nodes: the JMX agent's {@code process_cpu_seconds_total}),
 * gate's mean HTTP latency, storage's mean CQL latency (the driver's own timer) and the ring's
 * coordinator p99 for conditional writes; for sizing the JVMs, the time each spends in garbage
 * collection and the most heap it used. Asked inside the Prometheus container on its node (it
 * is not published), at the round's end over the round's length. Prometheus scrapes every 15 s
 * (Cassandra every 30 s): a round shorter than two scrapes has no rate, and its readings are
 * left out rather than guessed.
 */
final class PrometheusReadings {

    /** Reading name → PromQL; a query answering several series names each by its label. */
    private static final Map<String, String> QUERIES = queries();

    private final Swarm swarm;
    private final ObjectMapper json;
    private final Swarm.Task prometheus;

    private PrometheusReadings(Swarm swarm, ObjectMapper json, Swarm.Task prometheus) {
        this.swarm = swarm;
        this.json = json;
        this.prometheus = prometheus;
    }

    private static Map<String, String> queries() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("cores {job}", "sum by (job) (avg_over_time(process_cpu_usage{job=~\"gate|storage\"}[WINDOW])"
                + " * on (job, instance) system_cpu_count{job=~\"gate|storage\"})");
        queries.put("cores {instance}", "sum by (instance) (rate(process_cpu_seconds_total{job=\"cassandra\"}[WINDOW]))");
        queries.put("gate HTTP mean ms", "1000 * sum(rate(http_server_requests_seconds_sum{job=\"gate\"}[WINDOW]))"
                + " / sum(rate(http_server_requests_seconds_count{job=\"gate\"}[WINDOW]))");
        queries.put("storage CQL mean ms", "1000 * sum(rate(cassandra_driver_session_cql_requests_seconds_sum[WINDOW]))"
                + " / sum(rate(cassandra_driver_session_cql_requests_seconds_count[WINDOW]))");
        // JVM sizing (docs/PERFORMANCE.md): milliseconds per second in garbage collection (all
        // tasks of a service together), and the most heap one task of it used.
        queries.put("GC ms/s {job}", "1000 * sum by (job) (rate(jvm_gc_pause_seconds_sum{job=~\"gate|storage\"}[WINDOW]))");
        queries.put("GC ms/s {instance}", "1000 * sum by (instance) (rate(jvm_gc_collection_seconds_sum{job=\"cassandra\"}[WINDOW]))");
        queries.put("heap max MB {job}", "max by (job) (max_over_time((sum by (job, instance) (jvm_memory_used_bytes{area=\"heap\"}))[WINDOW:15s])) / 1e6");
        queries.put("ring CASWrite p99 ms", "max(max_over_time(cassandra_clientrequest_latency_99thpercentile{scope=\"CASWrite\"}[WINDOW])) / 1000");
        return queries;
    }

    /** Readings from the stack's Prometheus task, if it runs one (stacks deployed before it had none). */
    static Optional<PrometheusReadings> of(Swarm swarm, ObjectMapper json, List<Swarm.Task> tasks) {
        return tasks.stream().filter(t -> t.service().equals("prometheus")).findFirst()
                .map(task -> new PrometheusReadings(swarm, json, task));
    }

    /**
     * Readings over the {@code seconds} before {@code endMillis}; what Prometheus has no value
     * for is left out, what fails to answer is thrown.
     */
    Map<String, Double> read(long endMillis, int seconds) {
        Map<String, Double> readings = new LinkedHashMap<>();
        QUERIES.forEach((name, promql) -> {
            String query = promql.replace("WINDOW", seconds + "s");
            for (JsonNode series : query(query, endMillis)) {
                double value = series.path("value").get(1).asDouble();
                if (Double.isFinite(value)) {
                    readings.put(label(name, series.path("metric")), value);
                }
            }
        });
        return readings;
    }

    /** "cores {job}" with job=gate → "cores gate". */
    private static String label(String name, JsonNode metric) {
        int open = name.indexOf('{');
        if (open < 0) {
            return name;
        }
        String label = name.substring(open + 1, name.indexOf('}'));
        return name.substring(0, open) + metric.path(label).asText("?");
    }

    private JsonNode query(String promql, long endMillis) {
        String url = "http://127.0.0.1:9090/api/v1/query?time=" + (endMillis / 1000.0) + "&query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        Swarm.Result answer = swarm.onNode(prometheus.node(), Duration.ofSeconds(30), "exec", prometheus.container(),
                "wget", "-q", "-O", "-", url);
        if (!answer.ok()) {
            throw new IllegalStateException("Prometheus did not answer " + promql + ": " + answer.output().strip());
        }
        try {
            JsonNode body = json.readTree(answer.output());
            if (!"success".equals(body.path("status").asText())) {
                throw new IllegalStateException("Prometheus refused " + promql + ": " + answer.output().strip());
            }
            return body.path("data").path("result");
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus answered no JSON for " + promql + ": " + answer.output().strip(), e);
        }
    }
}
