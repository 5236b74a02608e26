package io.casswarm.common.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casswarm.common.http.RequestIds;
import io.casswarm.common.logging.es.ElasticsearchAppender;
import io.casswarm.common.logging.es.SpoolReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads {@code casswarm-logback.xml} the way gate and storage do, with Elasticsearch unreachable
 * (127.0.0.1:1), so every event lands in the spool, where the test reads the exact JSON shipped.
 */
class LogbackIncludeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path spoolRoot;

    @Test
    void includeShipsEcsJsonToTheSpoolWhenElasticsearchIsDown() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.setName("include-test");
        context.putProperty("SERVICE_NAME", "include-test");
        context.putProperty("TASK_SLOT", "3");
        context.putProperty("ELASTICSEARCH_URL", "http://127.0.0.1:1");
        context.putProperty("LOG_SPOOL_DIR", spoolRoot.toString());
        context.putProperty("LOG_STATS_INTERVAL_SECONDS", "0");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback-include-test.xml"));
        context.start();
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            assertTrue(s.getLevel() < Status.ERROR, "no configuration error: " + s);
        }
        assertNotNull(context.getSequenceNumberGenerator(), "include declares the sequence generator");

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ElasticsearchAppender es = (ElasticsearchAppender) root.getAppender("CASSWARM_ELASTICSEARCH");
        assertNotNull(es);
        assertNotNull(root.getAppender("CASSWARM_STDOUT"));

        Logger log = context.getLogger("io.casswarm.test.Thing");
        MDC.put(RequestIds.MDC_KEY, "req-123");
        try {
            log.info("hello {}", "world");
            log.error("it broke", new IllegalStateException("boom", new RuntimeException("root cause")));
            AccessLog.log(log, "GET", "/v1/things/{id}", "/v1/things/42", 200, 17, "alice");
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        context.getLogger("quiet.logger").info("filtered by level, never an event");
        context.stop();

        assertEquals(3, es.getCounters().received());
        assertEquals(3, es.getCounters().spooled());
        Path spoolDir = spoolRoot.resolve("include-test-3");
        List<SpoolReader.Entry> entries = SpoolReader.readAll(spoolDir);
        assertEquals(3, entries.size());
        JsonNode info = MAPPER.readTree(entries.get(0).json());
        JsonNode error = MAPPER.readTree(entries.get(1).json());
        JsonNode access = MAPPER.readTree(entries.get(2).json());

        assertTrue(info.get("@timestamp").asText().endsWith("Z"), info.toString());
        assertEquals("INFO", info.get("log.level").asText());
        assertEquals("hello world", info.get("message").asText());
        assertEquals("io.casswarm.test.Thing", info.get("log.logger").asText());
        assertEquals(Thread.currentThread().getName(), info.get("process.thread.name").asText());
        assertEquals("include-test", info.get("service.name").asText());
        assertFalse(info.get("service.node.name").asText().isBlank());
        assertFalse(info.get("host.name").asText().isBlank());
        assertEquals("req-123", info.get("trace.id").asText());
        long seq = info.get("event.sequence").asLong();
        assertTrue(seq > 0);
        assertEquals(info.get("service.ephemeral_id").asText() + "-" + seq, info.get("event.id").asText());
        assertEquals(entries.get(0).id(), info.get("event.id").asText(), "spool id = event.id = _id");
        assertFalse(info.has("error.type"));

        assertEquals("ERROR", error.get("log.level").asText());
        assertEquals("java.lang.IllegalStateException", error.get("error.type").asText());
        assertEquals("boom", error.get("error.message").asText());
        assertTrue(error.get("error.stack_trace").asText().contains("root cause"));
        assertEquals(seq + 1, error.get("event.sequence").asLong(), "sequence increases by one per event");

        assertEquals("access", access.get("event.dataset").asText());
        assertEquals("GET", access.get("http.request.method").asText());
        assertEquals("/v1/things/{id}", access.get("http.route").asText());
        assertEquals("/v1/things/42", access.get("url.path").asText());
        assertTrue(access.get("http.response.status_code").isNumber());
        assertEquals(200, access.get("http.response.status_code").asInt());
        assertTrue(access.get("event.duration").isNumber());
        assertEquals(17, access.get("event.duration").asLong());
        assertEquals("alice", access.get("user.name").asText());
        assertEquals("req-123", access.get("trace.id").asText());
    }

    @Test
    void shippingCanBeSwitchedOff() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.putProperty("SERVICE_NAME", "off-test");
        context.putProperty("LOG_SHIPPING_ENABLED", "false");
        context.putProperty("LOG_SPOOL_DIR", spoolRoot.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback-include-test.xml"));
        context.start();
        ElasticsearchAppender es = (ElasticsearchAppender) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("CASSWARM_ELASTICSEARCH");
        context.getLogger("x").info("not shipped");
        context.stop();
        assertEquals(0, es.getCounters().received());
        assertFalse(spoolRoot.resolve("off-test-0").toFile().exists());
    }
}
