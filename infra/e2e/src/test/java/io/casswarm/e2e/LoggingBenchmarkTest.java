package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load runs for the logging issue, behind -Dbench (minutes long, not part of CI):
 * <ol>
 *   <li>requests through edge with log shipping on, as the baseline;</li>
 *   <li>the same load while Elasticsearch is stopped for several minutes: latency must stay
 *       where it was, and once Elasticsearch is back every gate and storage event of the
 *       period must be there exactly once, counted by each instance's event.sequence;</li>
 *   <li>the same load with batching off (no linger: LOG_LINGER_MILLIS=0 in gate and storage,
 *       EDGE_LOGS_LINGER_MILLIS=0 in edge-logs), as the shippers sent before they lingered, for
 *       the documents per bulk with and without batching in one session;</li>
 *   <li>the same load with shipping off (LOG_SHIPPING_ENABLED=false), for the on/off ratio.</li>
 * </ol>
 * Run: {@code mvn -B -pl infra/e2e -De2e -Dbench=true test -Dtest=LoggingBenchmarkTest}
 * (cluster up; -Dbench.outage.seconds=180 sets the outage).
 *
 * <p>During the shipping-on and shipping-off runs it also reports how many documents
 * Elasticsearch received per bulk ({@link BulkStats}). With shipping off, only edge-logs and the
 * Cassandra nodes ship.
 */
@Order(500)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LoggingBenchmarkTest {

    // Four clients stay under gate's per-user limit (500 requests/s) even with Elasticsearch
    // down, when the machine has more CPU to spare for the requests.
    private static final int CLIENTS = 4;
    private static final Duration RUN = Duration.ofSeconds(40);
    private static final String DATA_STREAM = "logs-casswarm-default";

    private final Cluster cluster = new Cluster();
    private final Edge edge = cluster.edge();

    @Test
    void shippingCostsLittleAndAnOutageLosesNothing() throws IOException, InterruptedException {
        Duration outage = Duration.ofSeconds(Long.getLong("bench.outage.seconds", 180));
        String token = edge.login("admin", Files.readString(cluster.root.resolve("infra/.secrets/admin_password")).strip());
        String path = "/api/v1/collections/bench/documents/doc1";
        edge.send("PUT", path, token, "{\"n\":1}", "If-None-Match", "*");
        Load.run(edge, token, path, CLIENTS, Duration.ofSeconds(15));

        BulkStats beforeOn = bulkStats();
        Load.Result on = Load.run(edge, token, path, CLIENTS, RUN);
        BulkStats afterOn = bulkStats();
        cluster.report("bench shipping on, Elasticsearch up: " + on.summary());
        cluster.report("bench shipping on, Elasticsearch: " + afterOn.since(beforeOn));

        Instant windowStart = Instant.now();
        scaleElasticsearch(0);
        Load.Result down;
        try {
            Cluster.waitFor("elasticsearch stopped", Duration.ofMinutes(2), () -> cluster.container("elasticsearch").isEmpty());
            down = Load.run(edge, token, path, CLIENTS, outage);
        } finally {
            scaleElasticsearch(1);
        }
        Instant windowEnd = Instant.now();
        cluster.report("bench shipping on, Elasticsearch down " + outage.toSeconds() + " s: " + down.summary());
        Cluster.waitFor("elasticsearch healthy", Duration.ofMinutes(3), () ->
                cluster.healthy("elasticsearch"));
        // Every request of the outage made one gate access event, every answered one a storage
        // access event: wait until they are all there, then check the sequences.
        Duration delivered = Cluster.waitFor("every gate/storage access event of the outage delivered", Duration.ofMinutes(10),
                () -> accessEventsIn("gate", windowStart, windowEnd) >= down.requests()
                        && accessEventsIn("storage", windowStart, windowEnd) >= down.succeeded());
        assertEquals(0, gapsAndDuplicates(windowStart, windowEnd), "no event missing or twice (per-instance sequence)");
        cluster.report("bench outage events all delivered " + delivered.toSeconds() + " s after Elasticsearch was healthy; "
                + "events in the window: " + eventsIn(windowStart, windowEnd));

        Load.Result unbatched;
        BulkStats beforeUnbatched;
        BulkStats afterUnbatched;
        setEnv(true, "LOG_LINGER_MILLIS=0", "EDGE_LOGS_LINGER_MILLIS=0");
        try {
            beforeUnbatched = bulkStats();
            unbatched = Load.run(edge, token, path, CLIENTS, RUN);
            afterUnbatched = bulkStats();
        } finally {
            setEnv(false, "LOG_LINGER_MILLIS=0", "EDGE_LOGS_LINGER_MILLIS=0");
        }
        cluster.report("bench batching off (no linger): " + unbatched.summary());
        cluster.report("bench batching off (no linger), Elasticsearch: " + afterUnbatched.since(beforeUnbatched));

        setShipping(false);
        Load.Result off;
        BulkStats beforeOff = bulkStats();
        BulkStats afterOff;
        try {
            off = Load.run(edge, token, path, CLIENTS, RUN);
            afterOff = bulkStats();
        } finally {
            setShipping(true);
        }
        cluster.report("bench shipping off: " + off.summary());
        cluster.report("bench shipping off (edge-logs and Cassandra only), Elasticsearch: " + afterOff.since(beforeOff));
        cluster.report(String.format("bench ratio throughput on/off %.2f; batched/unbatched %.2f; outage/up %.2f;"
                        + " p99 outage/up %.2f", on.perSecond() / off.perSecond(), on.perSecond() / unbatched.perSecond(),
                down.perSecond() / on.perSecond(),
                down.latencyMicros().getValueAtPercentile(99) / (double) on.latencyMicros().getValueAtPercentile(99)));

        assertEquals(0, down.failures(), "no request failed while Elasticsearch was down");
        assertTrue(down.perSecond() > 0.7 * on.perSecond(), "throughput held during the outage");
    }

    /**
     * Elasticsearch's counters, summed over its nodes: documents indexed, shard-level bulk
     * operations ({@code indices.bulk.total_operations}: one per bulk request per shard it
     * touches; every log data stream has one shard) and write thread pool tasks (about two per
     * shard-level bulk in Elasticsearch 9).
     */
    record BulkStats(long documents, long bulks, long writeTasks) {
        String since(BulkStats before) {
            long docs = documents - before.documents;
            long shardBulks = bulks - before.bulks;
            long tasks = writeTasks - before.writeTasks;
            return String.format("%d documents in %d shard bulks (%.1f documents per bulk), %d write tasks"
                    + " (%.1f documents per task)", docs, shardBulks, shardBulks == 0 ? 0.0 : docs / (double) shardBulks,
                    tasks, tasks == 0 ? 0.0 : docs / (double) tasks);
        }
    }

    private BulkStats bulkStats() {
        JsonNode nodes = cluster.elasticsearch("GET", "/_nodes/stats/indices,thread_pool?filter_path="
                + "nodes.*.indices.indexing.index_total,nodes.*.indices.bulk.total_operations,"
                + "nodes.*.thread_pool.write.completed", null).path("nodes");
        long documents = 0;
        long bulks = 0;
        long tasks = 0;
        for (JsonNode node : nodes) {
            documents += node.path("indices").path("indexing").path("index_total").asLong();
            bulks += node.path("indices").path("bulk").path("total_operations").asLong();
            tasks += node.path("thread_pool").path("write").path("completed").asLong();
        }
        return new BulkStats(documents, bulks, tasks);
    }

    /** Over gate and storage instances: missing or repeated sequence numbers among the window's events. */
    private long gapsAndDuplicates(Instant from, Instant to) {
        cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_refresh", null);
        JsonNode result = cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_search",
                "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"terms\":{\"service.name\":[\"gate\",\"storage\"]}},"
                        + "{\"range\":{\"@timestamp\":{\"gte\":\"" + from + "\",\"lte\":\"" + to + "\"}}}]}},"
                        + "\"aggs\":{\"instances\":{\"terms\":{\"field\":\"service.ephemeral_id\",\"size\":50},"
                        + "\"aggs\":{\"min\":{\"min\":{\"field\":\"event.sequence\"}},\"max\":{\"max\":{\"field\":\"event.sequence\"}},"
                        + "\"distinct\":{\"cardinality\":{\"field\":\"event.sequence\",\"precision_threshold\":40000}}}}}}");
        long problems = 0;
        JsonNode buckets = result.path("aggregations").path("instances").path("buckets");
        if (buckets.size() == 0) {
            return 1;
        }
        for (JsonNode bucket : buckets) {
            long expected = bucket.path("max").path("value").asLong() - bucket.path("min").path("value").asLong() + 1;
            long count = bucket.path("doc_count").asLong();
            long distinct = bucket.path("distinct").path("value").asLong();
            problems += Math.abs(expected - distinct) + (count - distinct);
        }
        return problems;
    }

    /** Where the benchmark's reads show in each service's access events. */
    private static String benchPath(String service) {
        return service.equals("gate") ? "/api/v1/collections/bench/" : "/internal/v1/tenants/admin/collections/bench/";
    }

    private long accessEventsIn(String service, Instant from, Instant to) {
        cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_refresh", null);
        return cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_count",
                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"service.name\":\"" + service + "\"}},"
                        + "{\"term\":{\"event.dataset\":\"access\"}},{\"prefix\":{\"url.path\":\"" + benchPath(service) + "\"}},"
                        + "{\"range\":{\"@timestamp\":{\"gte\":\"" + from + "\",\"lte\":\"" + to + "\"}}}]}}}")
                .path("count").asLong();
    }

    private long eventsIn(Instant from, Instant to) {
        return cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_count",
                "{\"query\":{\"bool\":{\"filter\":[{\"terms\":{\"service.name\":[\"gate\",\"storage\"]}},"
                        + "{\"range\":{\"@timestamp\":{\"gte\":\"" + from + "\",\"lte\":\"" + to + "\"}}}]}}}")
                .path("count").asLong();
    }

    private void setShipping(boolean enabled) {
        for (String service : new String[] {"gate", "storage"}) {
            String[] change = enabled
                    ? new String[] {"service", "update", "--env-rm", "LOG_SHIPPING_ENABLED", cluster.serviceName(service)}
                    : new String[] {"service", "update", "--env-add", "LOG_SHIPPING_ENABLED=false", cluster.serviceName(service)};
            cluster.shell.run(Duration.ofMinutes(5), concat("docker", change)).orFail("switch shipping on " + service);
        }
        awaitGates();
    }

    /**
     * Adds (or removes again) environment variables on gate, storage and edge-logs: the LOG_*
     * ones matter to gate and storage, the EDGE_LOGS_* ones to edge-logs.
     */
    private void setEnv(boolean add, String... variables) {
        for (String service : new String[] {"gate", "storage", "edge-logs"}) {
            List<String> command = new ArrayList<>(List.of("docker", "service", "update"));
            for (String variable : variables) {
                command.addAll(add ? List.of("--env-add", variable) : List.of("--env-rm", variable.split("=")[0]));
            }
            command.add(cluster.serviceName(service));
            cluster.shell.run(Duration.ofMinutes(5), command.toArray(String[]::new)).orFail("update " + service);
        }
        awaitGates();
        Cluster.waitFor("storage and edge-logs healthy after the update", Duration.ofMinutes(3), () -> {
            var storages = cluster.containers("storage");
            return storages.size() == 2 && storages.stream().allMatch(c -> "healthy".equals(cluster.health(c)))
                    && cluster.healthy("edge-logs");
        });
    }

    private void awaitGates() {
        Cluster.waitFor("gates healthy after the switch", Duration.ofMinutes(3), () -> {
            var gates = cluster.containers("gate");
            return gates.size() == 2 && gates.stream().allMatch(c -> "healthy".equals(cluster.health(c)));
        });
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private void scaleElasticsearch(int replicas) {
        cluster.docker("service", "scale", "--detach", cluster.serviceName("elasticsearch") + "=" + replicas)
                .orFail("scale elasticsearch");
    }
}
