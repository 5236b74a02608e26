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
        Edge edge = cluster.edge();
        String token = edge.login("admin", cluster.adminPassword());
        String collection = "metrics-e2e";
        String id = "m-" + UUID.randomUUID();
        HttpResponse<String> created = edge.send("PUT", "/api/v1/collections/" + collection + "/documents/" + id, token,
                "{\"n\":1}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(200, edge.send("GET", "/api/v1/collections/" + collection + "/documents/" + id, token, null).statusCode());

        double gateRequests = positive("gate's served requests", "sum(http_server_requests_seconds_count)");
        double driverRequests = positive("storage's CQL requests (driver)", "sum(cassandra_driver_session_cql_requests_seconds_count)");
        double ringWrites = positive("the ring's coordinated writes",
                "sum(cassandra_clientrequest_latency_count{scope=~\"Write|CASWrite\"})");
        double storageLogEvents = positive("storage's log shipper counters", "sum(casswarm_logs_received_total{job=\"storage\"})");
        cluster.report(String.format("metrics after a create and a read: gate requests %.0f, storage CQL requests %.0f,"
                + " ring writes %.0f, storage log events %.0f", gateRequests, driverRequests, ringWrites, storageLogEvents));
    }

    /** Waits until the PromQL expression has a value above zero and returns it. */
    private double positive(String what, String promql) {
        return Cluster.waitForValue(what + " in Prometheus (" + promql + ")", Duration.ofMinutes(2),
                () -> scalar(promql), value -> value > 0);
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
