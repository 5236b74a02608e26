package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's view of metrics (issue 11): the stack's Prometheus finds every gate and
 * storage task by DNS and the three Cassandra nodes, scrapes them with the credentials each
 * asks for (storage's token, the nodes' metrics password), and a client's requests show up in
 * gate's HTTP metrics, storage's driver metrics and the ring's coordinator metrics; both
 * services publish their log shipper's counters.
 * Prometheus is not published: the test asks it from inside its own container, as an
 * operator would on its node (README, Metrics).
 */
@Order(75)
class MetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster = new Cluster();

    @Test
    void prometheusScrapesEveryGateStorageAndCassandraNode() {
        int gates = cluster.containers("gate").size();
        int storages = cluster.containers("storage").size();
        assertTrue(gates >= 1 && storages >= 1, "gate and storage run: " + gates + ", " + storages);
        Map<String, Integer> expected = Map.of("gate", gates, "storage", storages, "cassandra", 3, "prometheus", 1);
        Map<String, Integer> up = Cluster.waitForValue("Prometheus sees every target up", Duration.ofMinutes(3),
                this::upTargetsByJob, byJob -> expected.entrySet().stream()
                        .allMatch(e -> byJob.getOrDefault(e.getKey(), 0).equals(e.getValue())));
        cluster.report("Prometheus targets up by job: " + up);
    }

    @Test
    void aClientsRequestsShowUpInGateStorageAndCassandraMetrics() {
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        queries.put("gate's served document requests", "sum(http_server_requests_seconds_count{job=\"gate\",uri=~\"/api/v1/collections/.*\"})");
        queries.put("storage's CQL requests (the driver's timer)", "sum(cassandra_driver_session_cql_requests_seconds_count)");
        queries.put("the ring's coordinated writes", "sum(cassandra_clientrequest_latency_count{scope=~\"Write|CASWrite\"})");
        queries.put("storage's log events (its shipper's counter)", "sum(casswarm_logs_received_total{job=\"storage\"})");
        Map<String, Double> before = new TreeMap<>();
        queries.forEach((what, promql) -> before.put(what, scalar(promql)));

        Edge edge = cluster.edge();
        String token = edge.login("admin", cluster.adminPassword());
        String path = "/api/v1/collections/metrics-e2e/documents/m-" + UUID.randomUUID();
        HttpResponse<String> created = edge.send("PUT", path, token, "{\"n\":1}", "If-None-Match", "*");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(200, edge.send("GET", path, token, null).statusCode());

        // Each counter grows past its value before the requests (a scrape or two later).
        Map<String, String> grew = new TreeMap<>();
        queries.forEach((what, promql) -> {
            double after = Cluster.waitForValue(what + " grows in Prometheus (" + promql + ")", Duration.ofMinutes(2),
                    () -> scalar(promql), value -> value > before.get(what));
            grew.put(what, String.format("%.0f -> %.0f", before.get(what), after));
        });
        cluster.report("metrics around a login, a create and a read through edge: " + grew);
    }

    private double scalar(String promql) {
        JsonNode result = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
    }

    private Map<String, Integer> upTargetsByJob() {
        Map<String, Integer> byJob = new TreeMap<>();
        for (JsonNode target : api("/api/v1/targets?state=active").path("data").path("activeTargets")) {
            if ("up".equals(target.path("health").asText())) {
                byJob.merge(target.path("labels").path("job").asText(), 1, Integer::sum);
            }
        }
        return byJob;
    }

    /** Prometheus's HTTP API, asked from inside its container (wget: in the offline and the official image). */
    private JsonNode api(String pathAndQuery) {
        Cluster.Task prometheus = cluster.requireContainer("prometheus");
        String body = cluster.exec(prometheus, "wget", "-q", "-O", "-", "http://127.0.0.1:9090" + pathAndQuery)
                .orFail("Prometheus " + pathAndQuery).output();
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("Prometheus answered no JSON for " + pathAndQuery + ": " + body, e);
        }
    }
}
