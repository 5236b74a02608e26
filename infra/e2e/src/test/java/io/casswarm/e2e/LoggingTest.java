package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.common.logging.es.KibanaObjects;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator relies on in Elasticsearch: one request id finds the lines of edge, gate
 * and storage for that request, within seconds; and every field the Kibana saved objects use
 * exists in the live mapping of the log indices.
 */
@Order(70)
class LoggingTest {

    private static final String DATA_STREAM = "logs-casswarm-default";

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge();

    @Test
    void oneRequestIdFindsGateAndStorageEventsWithinTenSeconds() throws IOException {
        String adminPassword = Files.readString(cluster.root.resolve("infra/.secrets/admin_password")).strip();
        String token = edge.login("admin", adminPassword);
        HttpResponse<String> created = edge.send("POST", "/api/v1/collections/logging-e2e/documents", token,
                "{\"purpose\":\"follow one request\"}");
        assertEquals(201, created.statusCode(), created.body());
        // edge mints the request id and returns it: the handle a client quotes to operators.
        String requestId = created.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(requestId.matches("[0-9a-f-]{36}"), "edge's request id is returned: " + requestId);

        Duration took = Cluster.waitFor("gate and storage events with trace.id " + requestId, Duration.ofSeconds(10),
                () -> servicesWithTraceId(requestId).containsAll(Set.of("gate", "storage")));
        cluster.report("request id searchable in Elasticsearch after " + took.toMillis() + " ms; services: "
                + servicesWithTraceId(requestId));
    }

    @Test
    void everyFieldTheSavedObjectsUseIsInTheLiveMapping() throws IOException {
        Set<String> referenced = KibanaObjects.load(cluster.root.resolve("kibana/saved-objects.ndjson")).referencedFields();
        JsonNode mappings = cluster.elasticsearch("GET", "/" + DATA_STREAM + "/_mapping", null);
        Set<String> live = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> indices = mappings.fields();
        while (indices.hasNext()) {
            Map<String, String> types = new TreeMap<>();
            KibanaObjects.flattenTypes(indices.next().getValue().path("mappings"), "", types);
            live.addAll(types.keySet());
        }
        assertTrue(!live.isEmpty(), "the live mapping lists fields: " + mappings);
        Set<String> missing = new TreeSet<>(referenced);
        missing.removeAll(live);
        assertTrue(missing.isEmpty(), "fields used by kibana/ but absent from the live mapping: " + missing);
    }

    private Set<String> servicesWithTraceId(String requestId) {
        JsonNode result = cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_search",
                "{\"size\":0,\"query\":{\"term\":{\"trace.id\":\"" + requestId + "\"}},"
                        + "\"aggs\":{\"services\":{\"terms\":{\"field\":\"service.name\"}}}}");
        Set<String> services = new TreeSet<>();
        result.path("aggregations").path("services").path("buckets").forEach(b -> services.add(b.path("key").asText()));
        return services;
    }
}
