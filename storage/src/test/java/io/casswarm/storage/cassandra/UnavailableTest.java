package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cassandra unable to reach the consistency asked for: the one test node's keyspace is
 * switched to 3 replicas, so a LOCAL_QUORUM read needs 2 live replicas and only 1 exists.
 * storage answers 503 with Retry-After, never a 500, and recovers by itself when replicas
 * suffice again. Only reads are checked here: Paxos counts its quorum over the replicas that
 * exist (one), so a conditional write still succeeds on this one node; writes refused for a
 * lost quorum are tested on a real three-node ring (the end-to-end StorageQuorumTest).
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@Property(name = "casswarm.cassandra.keyspace", value = "casswarm_unavailable")
class UnavailableTest {

    private static final String DOCS = "/internal/v1/tenants/alice/collections/notes/documents";

    @Inject
    EmbeddedServer server;

    @Inject
    CqlSession session;

    @Test
    void quorumLostIs503WithRetryAfterAndRecovers() {
        Api api = new Api(server.getURI());
        assertEquals(201, api.post(DOCS, Map.of("id", "before", "body", Map.of())).status());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger problemsLog = (Logger) LoggerFactory.getLogger(CassandraFailures.class);
        problemsLog.addAppender(logged);
        replicas(3);
        try {
            assertEquals(503, api.request("GET", DOCS + "/before").header("X-Request-Id", "trace-503").send().status());
            assertTrue(logged.list.stream().anyMatch(event ->
                            "trace-503".equals(event.getMDCPropertyMap().get("trace.id"))),
                    "the request id is in the MDC of what the request logged");
            for (Reply reply : new Reply[] {
                    api.get(DOCS + "/before"),
                    api.get(DOCS),
                    api.get("/internal/v1/users/alice")}) {
                assertEquals(503, reply.status(), () -> reply.raw().body());
                assertEquals("application/problem+json", reply.contentType());
                assertEquals("1", reply.header("Retry-After"));
                assertEquals("/problems/unavailable", reply.json().get("type").asText());
                assertFalse(reply.raw().body().contains("at com."), "no stack trace in the body");
            }
        } finally {
            replicas(1);
            problemsLog.detachAppender(logged);
        }
        assertEquals(200, api.get(DOCS + "/before").status());
        assertEquals(201, api.post(DOCS, Map.of("id", "after", "body", Map.of())).status());
    }

    private void replicas(int count) {
        session.execute("ALTER KEYSPACE casswarm_unavailable WITH replication = "
                + "{'class': 'NetworkTopologyStrategy', 'datacenter1': " + count + "}");
    }
}
