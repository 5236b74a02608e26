package io.casswarm.storage.metrics;

import com.datastax.oss.driver.api.core.CqlSession;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * storage's /prometheus on the management port, against a real Cassandra: the driver's own
 * request latencies and errors (its Micrometer binding) next to the JVM's, shown only to a
 * caller with the storage credential, as Prometheus scrapes it; never on the API port.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@Property(name = "casswarm.cassandra.keyspace", value = "casswarm_metrics")
class PrometheusEndpointTest {

    private static final String REQUESTS = "cassandra_driver_session_cql_requests_seconds";
    private static final String MESSAGES = "cassandra_driver_nodes_cql_messages_seconds";

    @Inject
    EmbeddedServer server;

    @Inject
    CqlSession session;

    Api api;
    Api management;
    String docs;

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        management = new Api(Api.managementUri(server));
        docs = "/internal/v1/tenants/t" + UUID.randomUUID().toString().substring(0, 8) + "/collections/notes/documents";
    }

    @Test
    void driverLatenciesAndTheJvmAreScrapedWithTheCredential() {
        double requestsBefore = total(scrape(), REQUESTS + "_count");

        assertEquals(201, api.post(docs, Map.of("id", "m1", "body", Map.of("title", "measured"))).status());
        assertEquals(200, api.get(docs + "/m1").status());

        String metrics = scrape();
        double requests = total(metrics, REQUESTS + "_count");
        assertTrue(requests >= requestsBefore + 2,
                "the create and the read each sent at least one CQL request: " + requestsBefore + " -> " + requests);
        assertTrue(total(metrics, REQUESTS + "_sum") > 0, "their latency is recorded");
        List<Sample> infinite = samples(metrics, REQUESTS + "_bucket").stream()
                .filter(s -> s.labels().contains("le=\"+Inf\"")).toList();
        assertEquals(1, infinite.size(), "one aggregable histogram for the session");
        assertEquals(requests, infinite.get(0).value(), "every request falls in a bucket");
        assertTrue(infinite.get(0).labels().contains("session=\""), infinite.get(0).labels());

        List<Sample> messages = samples(metrics, MESSAGES + "_count");
        assertEquals(1, messages.size(), "one node in the test ring: " + messages);
        assertTrue(messages.get(0).labels().contains("node=\""), messages.get(0).labels());
        assertTrue(messages.get(0).value() >= 2, "messages to that node: " + messages.get(0).value());
        assertEquals(1, total(metrics, "cassandra_driver_session_connected_nodes"), "connected nodes");
        assertTrue(total(metrics, "cassandra_driver_nodes_pool_open_connections") >= 1, "open connections");
        assertTrue(total(metrics, "cassandra_driver_session_bytes_sent_total") > 0, "bytes sent");
        assertTrue(total(metrics, "cassandra_driver_session_bytes_received_total") > 0, "bytes received");
        for (String zero : new String[]{"cassandra_driver_session_cql_client_timeouts_total",
                "cassandra_driver_nodes_errors_request_write_timeouts_total",
                "cassandra_driver_nodes_errors_request_read_timeouts_total",
                "cassandra_driver_nodes_errors_connection_init_total"}) {
            assertEquals(0, total(metrics, zero), zero + " is exported, at 0 on a healthy ring");
        }

        assertTrue(total(metrics, "jvm_memory_used_bytes") > 0, "JVM memory");
        assertTrue(total(metrics, "process_uptime_seconds") > 0, "process uptime");
        assertTrue(total(metrics, "http_server_requests_seconds_count") >= 2, "storage's own HTTP requests");
    }

    @Test
    void unavailableAnswersAreCountedForTheNode() {
        assertEquals(201, api.post(docs, Map.of("id", "u1", "body", Map.of())).status());
        double before = total(scrape(), "cassandra_driver_nodes_errors_request_unavailables_total");
        replicas(3);
        try {
            // LOCAL_QUORUM of 3 replicas on a one-node ring: the node answers UNAVAILABLE.
            assertEquals(503, api.get(docs + "/u1").status());
        } finally {
            replicas(1);
        }
        double after = total(scrape(), "cassandra_driver_nodes_errors_request_unavailables_total");
        assertTrue(after > before, "unavailables counted: " + before + " -> " + after);
        assertEquals(200, api.get(docs + "/u1").status());
    }

    @Test
    void withoutTheCredentialNoMetricIsShown() {
        for (String wrong : new String[]{null, "Bearer not-the-storage-token", "Basic x"}) {
            Reply refused = management.request("GET", "/prometheus").credential(wrong).send();
            assertEquals(401, refused.status(), refused.raw().body());
            assertEquals("application/problem+json", refused.contentType());
            String challenge = refused.header("WWW-Authenticate");
            assertNotNull(challenge);
            assertTrue(challenge.startsWith("Bearer"), challenge);
            String body = refused.raw().body();
            for (String leak : new String[]{"# HELP", "# TYPE", "cassandra_", "jvm_", "process_"}) {
                assertFalse(body.contains(leak), () -> "a refused scrape shows " + leak + ": " + body);
            }
        }
        Reply onTheApiPort = api.request("GET", "/prometheus").send();
        assertEquals(404, onTheApiPort.status(), "metrics are served on the management port only");
    }

    /** GET /prometheus on the management port with the storage credential, as Prometheus does. */
    private String scrape() {
        Reply reply = management.request("GET", "/prometheus").send();
        assertEquals(200, reply.status(), () -> reply.raw().body());
        assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
        return reply.raw().body();
    }

    private void replicas(int count) {
        session.execute("ALTER KEYSPACE casswarm_metrics WITH replication = "
                + "{'class': 'NetworkTopologyStrategy', 'datacenter1': " + count + "}");
    }

    /** One sample line of the Prometheus text format: its labels ("" when none) and value. */
    record Sample(String labels, double value) {
    }

    static List<Sample> samples(String text, String name) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(text);
        List<Sample> found = new java.util.ArrayList<>();
        while (line.find()) {
            found.add(new Sample(line.group(1) == null ? "" : line.group(1), Double.parseDouble(line.group(2))));
        }
        return found;
    }

    /** The sum over every label set of one series; fails when the series is absent. */
    static double total(String text, String name) {
        List<Sample> found = samples(text, name);
        assertFalse(found.isEmpty(), () -> name + " is missing from /prometheus");
        return found.stream().mapToDouble(Sample::value).sum();
    }
}
