package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge's access log reaches Elasticsearch: a request through edge, with the X-Request-Id edge
 * minted for it, is within 10 s an ECS event of service edge with that trace.id and its fields,
 * in the logs-casswarm-default data stream (HAProxy ring, socket, edge-logs' rsyslog).
 * Elasticsearch is not published: it is queried from inside its container.
 */
@Order(80)
class EdgeLogsTest {

    private static final String DATA_STREAM = "logs-casswarm-default";
    private static final Duration SEARCHABLE_WITHIN = Duration.ofSeconds(10);

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge();

    @Test
    void requestThroughEdgeIsSearchableByItsRequestId() {
        String clientId = "e2e-edge-" + UUID.randomUUID();
        HttpResponse<String> response = edge.send("GET", "/health", null, null, "X-Request-Id", clientId);
        // edge mints every request id (a client's never reaches the logs as the id).
        String requestId = response.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(requestId.matches("[0-9a-f-]{36}") && !requestId.equals(clientId),
                "edge answers with an id of its own, not the client's: " + requestId);

        long sent = System.nanoTime();
        JsonNode hit = Cluster.waitForValue("edge access event with trace.id " + requestId + " in " + DATA_STREAM,
                SEARCHABLE_WITHIN, () -> edgeEvents(requestId), hits -> hits.size() > 0).get(0);
        cluster.report(String.format("edge access log line searchable in Elasticsearch by its request id after %.1f s"
                + " (polled every 2 s)", (System.nanoTime() - sent) / 1e9));

        assertTrue(hit.path("_index").asText().startsWith(".ds-" + DATA_STREAM + "-"),
                "written to the data stream, not a plain index: " + hit.path("_index").asText());
        JsonNode event = hit.path("_source");
        assertEquals("edge", event.path("service.name").asText());
        assertEquals("access", event.path("event.dataset").asText());
        assertEquals("GET", event.path("http.request.method").asText());
        assertEquals("/health", event.path("url.path").asText());
        assertEquals(response.statusCode(), event.path("http.response.status_code").asInt());
        assertTrue(event.path("event.duration").canConvertToLong() && event.path("event.duration").asLong() >= 0,
                "event.duration in ms: " + event.path("event.duration"));
        assertTrue(event.path("service.node.name").asText().startsWith(cluster.serviceName("edge") + "."),
                "service.node.name is edge's swarm task: " + event.path("service.node.name").asText());
        assertFalse(event.path("host.name").asText().isEmpty(), "host.name set");
        assertFalse(event.path("client.address").asText().isEmpty(), "client.address set");
        assertFalse(event.path("@timestamp").asText().isEmpty(), "@timestamp set");
        assertEquals(hit.path("_id").asText(), event.path("event.id").asText(), "event.id is the document id");
        assertTrue(event.path("message").asText().contains("id=" + requestId), "message is HAProxy's log line");
    }

    /** Hits of edge events with this trace.id, searched from inside the elasticsearch container. */
    private JsonNode edgeEvents(String requestId) {
        String query = "{\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"trace.id\":\"" + requestId + "\"}},"
                + "{\"term\":{\"service.name\":\"edge\"}}]}}}";
        Shell.Result result = cluster.exec(cluster.requireContainer("elasticsearch"), "curl", "-sS", "-m", "5",
                "-H", "Content-Type: application/json", "--data-binary", query,
                "http://127.0.0.1:9200/" + DATA_STREAM + "/_search?ignore_unavailable=true");
        if (!result.ok()) {
            throw new IllegalStateException("search failed: " + result.output());
        }
        try {
            return Cluster.JSON.readTree(result.output()).path("hits").path("hits");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + result.output(), e);
        }
    }
}
