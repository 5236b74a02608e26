package io.casswarm.common.logging.es;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casswarm.common.http.RequestIds;
import io.casswarm.common.logging.AccessLog;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appender against a real Elasticsearch (the offline casswarm image, started with
 * Testcontainers; no Ryuk, so the container is stopped here). Each test writes to its own data
 * stream under {@code logs-casswarm-*}, so tests do not see each other's events.
 */
@Tag("container")
class ElasticsearchAppenderTest {

    static final DockerImageName IMAGE = DockerImageName.parse("casswarm/elasticsearch:9.5.3")
            .asCompatibleSubstituteFor("docker.elastic.co/elasticsearch/elasticsearch");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static GenericContainer<?> es;
    static String baseUrl;

    @TempDir
    Path spoolRoot;

    @BeforeAll
    static void startElasticsearch() {
        es = new GenericContainer<>(IMAGE)
                .withEnv("discovery.type", "single-node")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
                .withEnv("xpack.security.enabled", "false")
                .withExposedPorts(9200)
                .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow&timeout=1s").forPort(9200)
                        // 40 s on a quiet machine; over 120 s was seen at a load of 50 on 2 cores.
                        .withStartupTimeout(Duration.ofMinutes(5)));
        es.start();
        baseUrl = "http://" + es.getHost() + ":" + es.getMappedPort(9200);
    }

    @AfterAll
    static void stopElasticsearch() {
        if (es != null) {
            es.stop();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void eventsArriveWithEveryFieldAndAreSearchable() throws Exception {
        String stream = "logs-casswarm-fields";
        LoggerContext context = context("fields-svc");
        ElasticsearchAppender appender = appender(context, stream, spoolRoot.resolve("fields"));
        Logger log = context.getLogger("io.casswarm.test.Fields");
        MDC.put(RequestIds.MDC_KEY, "req-fields-1");
        try {
            log.info("document {} stored", "doc-7");
            log.error("storage failed", new IllegalStateException("disk on fire"));
            AccessLog.log(log, "PUT", "/v1/collections/{c}/documents/{id}", "/v1/collections/a/documents/7", 201, 42, "bob");
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        long started = System.nanoTime();
        awaitCount(stream, "trace.id:req-fields-1", 3, Duration.ofSeconds(30));
        System.out.printf("3 events searchable after %d ms%n", (System.nanoTime() - started) / 1_000_000);

        JsonNode hits = search(stream, "{\"query\":{\"match\":{\"message\":\"fire OR broke OR storage\"}},\"size\":10}");
        JsonNode error = findBy(hits, "log.level", "ERROR");
        assertEquals("fields-svc", error.get("service.name").asText());
        assertEquals("fields-node", error.get("service.node.name").asText());
        assertFalse(error.get("host.name").asText().isBlank());
        assertEquals("io.casswarm.test.Fields", error.get("log.logger").asText());
        assertEquals("java.lang.IllegalStateException", error.get("error.type").asText());
        assertEquals("disk on fire", error.get("error.message").asText());
        assertTrue(error.get("error.stack_trace").asText().contains("ElasticsearchAppenderTest"));
        assertFalse(error.get("process.thread.name").asText().isBlank());
        assertTrue(error.get("@timestamp").asText().endsWith("Z"));

        // typed fields are queryable by type: keyword term, numeric range on the access event
        assertEquals(1, count(stream, "{\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.name\":\"fields-svc\"}},{\"term\":{\"event.dataset\":\"access\"}},"
                + "{\"term\":{\"http.route\":\"/v1/collections/{c}/documents/{id}\"}},"
                + "{\"range\":{\"event.duration\":{\"gte\":40,\"lte\":45}}},"
                + "{\"term\":{\"http.response.status_code\":201}},{\"term\":{\"user.name\":\"bob\"}}]}}}"));
        // the _id is the event id
        JsonNode any = hits.get(0);
        assertEquals(any.get("_source").get("event.id").asText(), any.get("_id").asText());

        context.stop();
        assertEquals(3, appender.getCounters().shipped());
        assertEquals(0, appender.getCounters().dropped());
        assertEquals(0, appender.getCounters().spooled());
    }

    @Test
    void outageNeverBlocksSpoolsAndDeliversEveryEventOnceInOrder() throws Exception {
        String stream = "logs-casswarm-outage";
        LoggerContext context = context("outage-svc");
        ElasticsearchAppender appender = appender(context, stream, spoolRoot.resolve("outage"));
        Logger log = context.getLogger("io.casswarm.test.Outage");
        for (int i = 0; i < 100; i++) {
            log.info("before outage {}", i);
        }
        awaitCount(stream, "*", 100, Duration.ofSeconds(30));

        int during = 3000;
        long[] latencies = new long[during];
        pause();
        try {
            for (int i = 0; i < during; i++) {
                long t0 = System.nanoTime();
                log.info("during outage {}", i);
                latencies[i] = System.nanoTime() - t0;
                if (i % 100 == 99) {
                    Thread.sleep(20); // ~2 s of logging, so the outage is detected while logging goes on
                }
            }
            ShipperHarness.await("all outage events in the spool", Duration.ofSeconds(20),
                    () -> appender.getCounters().spoolPending() == during, appender::getCounters);
        } finally {
            unpause();
        }
        Arrays.sort(latencies);
        long p50 = latencies[during / 2] / 1000;
        long p99 = latencies[during * 99 / 100] / 1000;
        long max = latencies[during - 1] / 1000;
        System.out.printf("append latency while ES paused: p50=%d us p99=%d us max=%d us (request timeout 2000 ms)%n",
                p50, p99, max);
        assertTrue(max < 250_000, "logging never waited for Elasticsearch, max " + max + " us");
        assertTrue(p99 < 5_000, "p99 append latency " + p99 + " us");

        for (int i = 0; i < 100; i++) {
            log.info("after outage {}", i);
        }
        int total = 100 + during + 100;
        awaitCount(stream, "*", total, Duration.ofSeconds(60));
        context.stop();

        ShipperCounters c = appender.getCounters();
        System.out.println("counters after outage: " + c);
        assertEquals(total, c.received());
        assertEquals(total, c.shipped());
        assertEquals(0, c.dropped());
        assertTrue(c.spooled() >= during);
        assertTrue(c.retried() > 0);
        assertEquals(0, c.spoolPending());
        assertExactlyOnceInOrder(stream, total);
    }

    @Test
    void aSteadyTrickleOfEventsReachesElasticsearchInFewLargeBulks() throws Exception {
        String stream = "logs-casswarm-trickle";
        LoggerContext context = context("trickle-svc");
        ElasticsearchAppender appender = appender(context, stream, spoolRoot.resolve("trickle"));
        Logger log = context.getLogger("io.casswarm.test.Trickle");
        log.info("first");
        awaitCount(stream, "*", 1, Duration.ofSeconds(30));
        JsonNode before = streamStats(stream);

        // About 100 events a second for 3 s: without a linger that is one small bulk per event or two.
        int events = 300;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            log.info("trickle {}", i);
            if (i % 10 == 9) {
                Thread.sleep(100); // shapes the load; not a wait for a condition
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        awaitCount(stream, "*", events + 1, Duration.ofSeconds(20));
        JsonNode after = streamStats(stream);
        long documents = after.path("indexing").path("index_total").asLong() - before.path("indexing").path("index_total").asLong();
        long bulks = after.path("bulk").path("total_operations").asLong() - before.path("bulk").path("total_operations").asLong();
        System.out.printf("%d events logged over %.1f s reached Elasticsearch in %d bulks (%.0f documents per bulk;"
                + " the shipper counted %d bulks for %d events)%n", events, seconds, bulks, documents / (double) bulks,
                appender.getCounters().bulks(), appender.getCounters().shipped());
        context.stop();
        assertEquals(events, documents);
        // A bulk goes when its linger (1 s) is over: at most one per started second of logging, plus the last.
        assertTrue(bulks <= (long) Math.ceil(seconds) + 1, bulks + " bulks for " + seconds + " s of logging");
    }

    @Test
    void spoolLeftByACrashIsDeliveredByTheNextInstance() throws Exception {
        String stream = "logs-casswarm-crash";
        Path spool = spoolRoot.resolve("crash");
        LoggerContext first = context("crash-svc");
        ElasticsearchAppender crashed = appender(first, stream, spool);
        Logger log = first.getLogger("io.casswarm.test.Crash");
        log.info("warm-up");
        awaitCount(stream, "*", 1, Duration.ofSeconds(30));
        pause();
        try {
            for (int i = 0; i < 500; i++) {
                log.info("unshipped {}", i);
            }
            ShipperHarness.await("500 events spooled before the crash", Duration.ofSeconds(20),
                    () -> crashed.getCounters().spoolPending() == 500, crashed::getCounters);
            crashed.stopWithoutFlush();
        } finally {
            unpause();
        }
        assertEquals(1, count(stream, "{\"query\":{\"match_all\":{}}}"), "nothing of the spool delivered yet");

        LoggerContext second = context("crash-svc");
        ElasticsearchAppender restarted = appender(second, stream, spool);
        second.getLogger("io.casswarm.test.Crash").info("after restart");
        awaitCount(stream, "*", 502, Duration.ofSeconds(30));
        second.stop();
        assertEquals(501, restarted.getCounters().shipped());
        assertEquals(0, restarted.getCounters().dropped());
        assertEquals(500, count(stream, "{\"query\":{\"match_phrase_prefix\":{\"message\":\"unshipped\"}}}"));
        assertNoDuplicates(stream, 502);
    }

    @Test
    void templateInstallIsIdempotentAndANewRefreshIntervalReachesExistingIndices() throws Exception {
        ShipperSettings oneSecond = settings("1s");
        installTemplate(oneSecond);
        String installedHash = installedTemplate().get("_meta").get("casswarm_hash").asText();
        installTemplate(oneSecond);
        JsonNode it = installedTemplate();
        assertEquals(installedHash, it.get("_meta").get("casswarm_hash").asText(), "the same body is not written again");
        assertEquals("logs-casswarm-*", it.get("index_patterns").get(0).asText());
        assertTrue(it.has("data_stream"));
        assertEquals(IndexTemplate.PRIORITY, it.get("priority").asInt());
        ObjectNodeHolder body = new ObjectNodeHolder(IndexTemplate.body(oneSecond));
        assertTrue(installedHash.equals(IndexTemplate.hashOf(body.node))
                || installedHash.equals(IndexTemplate.hashOf(IndexTemplate.withoutRetention(body.node))));
        System.out.println("installed template has lifecycle: " + it.get("template").has("lifecycle"));
        assertEquals("keyword", it.get("template").get("mappings").get("properties").get("trace")
                .get("properties").get("id").get("type").asText());

        String stream = "logs-casswarm-refresh";
        post("/" + stream + "/_doc", "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"message\":\"x\"}");
        assertEquals("1s", refreshIntervalOf(stream), "the backing index got the template's interval");

        installTemplate(settings("5s"));
        assertTrue(lastInstallMessages.stream().anyMatch(m -> m.contains("index.refresh_interval 5s set")),
                "installer reports the update: " + lastInstallMessages);
        assertEquals("5s", installedTemplate().get("template").get("settings").get("index").get("refresh_interval").asText());
        assertEquals("5s", refreshIntervalOf(stream), "the new interval is set on the existing backing index too");
    }

    private static List<String> lastInstallMessages = List.of();

    private static ShipperSettings settings(String refreshInterval) {
        ShipperSettings.Builder builder = new ShipperSettings.Builder();
        builder.urls = baseUrl;
        builder.retention = "7d";
        builder.refreshInterval = refreshInterval;
        builder.connectTimeoutMillis = 2000;
        builder.requestTimeoutMillis = 60_000; // a settings update waits for the cluster state: slow on a busy machine
        return builder.build();
    }

    private static void installTemplate(ShipperSettings settings) throws Exception {
        ch.qos.logback.core.spi.ContextAwareBase status = new ch.qos.logback.core.spi.ContextAwareBase();
        status.setContext(new ch.qos.logback.core.ContextBase());
        try (ElasticsearchBulkSender sender = new ElasticsearchBulkSender(settings, status)) {
            sender.prepare();
        }
        lastInstallMessages = status.getContext().getStatusManager().getCopyOfStatusList().stream()
                .map(ch.qos.logback.core.status.Status::getMessage).toList();
        lastInstallMessages.forEach(m -> System.out.println("template: " + m));
    }

    private static JsonNode installedTemplate() throws Exception {
        JsonNode templates = get("/_index_template/" + IndexTemplate.NAME).get("index_templates");
        assertEquals(1, templates.size());
        return templates.get(0).get("index_template");
    }

    /** index.refresh_interval of the stream's (one) backing index. */
    private static String refreshIntervalOf(String stream) throws Exception {
        JsonNode indices = get("/" + stream + "/_settings/index.refresh_interval");
        assertEquals(1, indices.size(), indices.toString());
        return indices.elements().next().path("settings").path("index").path("refresh_interval").asText();
    }

    @Test
    void everyFieldTheKibanaObjectsUseIsInTheLiveMapping() throws Exception {
        String stream = "logs-casswarm-kibana";
        LoggerContext context = context("kibana-svc");
        appender(context, stream, spoolRoot.resolve("kibana"));
        Logger log = context.getLogger("io.casswarm.test.Kibana");
        MDC.put(RequestIds.MDC_KEY, "req-kibana");
        try {
            log.error("e", new RuntimeException("x"));
            AccessLog.log(log, "GET", "/r", "/r", 200, 1, "u");
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        awaitCount(stream, "*", 2, Duration.ofSeconds(30));
        context.stop();
        JsonNode mapping = get("/" + stream + "/_mapping");
        Set<String> live = new HashSet<>();
        mapping.fields().forEachRemaining(index -> KibanaObjects.flatten(index.getValue().get("mappings"), "", live));
        Set<String> missing = new HashSet<>(KibanaObjects.load().referencedFields());
        missing.removeAll(live);
        assertTrue(missing.isEmpty(), "fields used by kibana/ but not in the live mapping: " + missing);
    }

    // ---------------------------------------------------------------- helpers

    record ObjectNodeHolder(com.fasterxml.jackson.databind.node.ObjectNode node) {
    }

    static LoggerContext context(String service) {
        LoggerContext context = new LoggerContext();
        context.setName(service);
        context.setMDCAdapter(MDC.getMDCAdapter());
        ch.qos.logback.core.util.StatusListenerConfigHelper.addOnConsoleListenerInstance(context, new ch.qos.logback.core.status.OnConsoleStatusListener());
        context.start();
        return context;
    }

    ElasticsearchAppender appender(LoggerContext context, String stream, Path spool) {
        ElasticsearchAppender appender = new ElasticsearchAppender();
        configure(appender, context, stream, spool);
        appender.start();
        assertTrue(appender.isStarted());
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    static void configure(ElasticsearchAppender appender, LoggerContext context, String stream, Path spool) {
        appender.setContext(context);
        appender.setName("es-" + stream);
        appender.setUrl(baseUrl);
        appender.setDataStream(stream);
        appender.setSpoolDir(spool.toString());
        appender.setServiceName(context.getName());
        appender.setNodeName(context.getName().replace("-svc", "-node"));
        appender.setConnectTimeoutMillis(1000);
        appender.setRequestTimeoutMillis(2000);
        appender.setRetryInitialMillis(200);
        appender.setRetryMaxMillis(1000);
        appender.setShutdownTimeoutMillis(5000);
        appender.setStatsIntervalSeconds(0);
        appender.setRetention("7d");
    }

    static void pause() {
        es.getDockerClient().pauseContainerCmd(es.getContainerId()).exec();
    }

    static void unpause() {
        es.getDockerClient().unpauseContainerCmd(es.getContainerId()).exec();
    }

    static void assertExactlyOnceInOrder(String stream, int total) throws Exception {
        JsonNode hits = search(stream, "{\"size\":" + (total + 10) + ",\"seq_no_primary_term\":true,"
                + "\"_source\":[\"event.sequence\",\"event.id\"],\"query\":{\"match_all\":{}}}");
        assertEquals(total, hits.size(), "every event exactly once");
        List<long[]> rows = new ArrayList<>();
        Set<Long> sequences = new HashSet<>();
        for (JsonNode h : hits) {
            long seq = h.get("_source").get("event.sequence").asLong();
            rows.add(new long[] {h.get("_seq_no").asLong(), seq});
            sequences.add(seq);
        }
        assertEquals(total, sequences.size(), "no duplicate sequence numbers");
        long min = sequences.stream().min(Long::compare).orElseThrow();
        long max = sequences.stream().max(Long::compare).orElseThrow();
        assertEquals(total - 1, max - min, "no gaps in event.sequence");
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i)[1] > rows.get(i - 1)[1],
                    "indexed in order: _seq_no " + rows.get(i)[0] + " has event.sequence " + rows.get(i)[1]
                            + " after " + rows.get(i - 1)[1]);
        }
    }

    static void assertNoDuplicates(String stream, int total) throws Exception {
        JsonNode hits = search(stream, "{\"size\":" + (total + 10) + ",\"_source\":[\"event.id\"]}");
        Set<String> ids = new HashSet<>();
        for (JsonNode h : hits) {
            ids.add(h.get("_source").get("event.id").asText());
        }
        assertEquals(total, hits.size());
        assertEquals(total, ids.size());
    }

    static JsonNode findBy(JsonNode hits, String field, String value) {
        for (JsonNode h : hits) {
            if (value.equals(h.get("_source").path(field).asText())) {
                return h.get("_source");
            }
        }
        throw new AssertionError("no hit with " + field + "=" + value + " in " + hits);
    }

    static void awaitCount(String stream, String q, long expected, Duration timeout) throws Exception {
        String body = "{\"query\":{\"query_string\":{\"query\":\"" + q + "\"}}}";
        Awaitility.await(expected + " events in " + stream + " for " + q).atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(java.io.IOException.class) // the stream not created yet
                .until(() -> {
                    post("/" + stream + "/_refresh", "");
                    return count(stream, body);
                }, found -> {
                    assertTrue(found <= expected, "more events than logged: " + found);
                    return found == expected;
                });
    }

    static long count(String stream, String body) throws Exception {
        return post("/" + stream + "/_count", body).get("count").asLong();
    }

    static JsonNode search(String stream, String body) throws Exception {
        post("/" + stream + "/_refresh", "");
        return post("/" + stream + "/_search", body).get("hits").get("hits");
    }

    /** indexing and bulk statistics of one data stream's backing indices (primaries). */
    static JsonNode streamStats(String stream) throws Exception {
        return get("/" + stream + "/_stats/indexing,bulk").path("_all").path("primaries");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new java.io.IOException(r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body());
    }

    static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new java.io.IOException(r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body());
    }
}
