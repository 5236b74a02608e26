package io.casswarm.storage.document;

import io.casswarm.common.testing.FaultProxy;
import io.casswarm.common.testing.FaultProxy.CqlFrame;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The unknown-outcome defects of issue 9 on the driver path, made deterministic by a
 * {@link FaultProxy} between storage's driver and the real Cassandra node: the lightweight
 * transaction of one write is dropped before the node sees it, or it lands and its reply is
 * lost. A second storage reaches the node directly, as another writer would.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnknownOutcomeTest {

    private FaultProxy proxy;
    private EmbeddedServer throughProxy;
    private EmbeddedServer direct;
    private Api faulty;
    private Api other;
    private String docs;

    @BeforeAll
    void start() throws Exception {
        String node = System.getProperty("casswarm.cassandra.contact-points");
        int colon = node.lastIndexOf(':');
        proxy = FaultProxy.cql(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
        Map<String, Object> properties = new HashMap<>();
        properties.put("casswarm.cassandra.keyspace", "unknown_outcome");
        properties.put("casswarm.cassandra.replication-factor", 1);
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.cassandra.request-timeout", "3s");
        direct = ApplicationContext.run(EmbeddedServer.class, properties);
        properties.put("casswarm.cassandra.contact-points", "127.0.0.1:" + proxy.port());
        throughProxy = ApplicationContext.run(EmbeddedServer.class, properties);
        faulty = new Api(throughProxy.getURI());
        other = new Api(direct.getURI());
        docs = "/internal/v1/tenants/u" + UUID.randomUUID().toString().substring(0, 8) + "/collections/c/documents";
    }

    @AfterAll
    void stop() {
        throughProxy.close();
        direct.close();
        proxy.close();
    }

    /** The conditional batch (the LWT) of a write on this document. */
    private static java.util.function.Predicate<CqlFrame> lwtOf(String id) {
        return frame -> frame.opcode() == CqlFrame.BATCH && frame.contains(id);
    }

    @Test
    void anUnconditionalDeleteWhoseOutcomeIsUnknownWhileTheRowIsThereIsNotA500() throws Exception {
        assertEquals(201, other.post(docs, Map.of("id", "del", "body", Map.of())).status());
        CompletableFuture<Void> lost = proxy.dropRequest(lwtOf("del"));
        Reply deleted = faulty.delete(docs + "/del");
        assertEquals(true, lost.isDone(), "the delete's LWT never reached the node");
        assertEquals(204, deleted.status(), "resolved (not landed, row still there) and sent again: "
                + deleted.raw().body());
        assertEquals(404, other.get(docs + "/del").status());
    }

    @Test
    void aWriteThatLandedAndWasSupersededBeforeTheSerialReadIsReportedApplied() throws Exception {
        assertEquals(201, other.post(docs, Map.of("id", "sup", "body", Map.of("n", 0))).status());
        CompletableFuture<Void> lost = proxy.dropReply(lwtOf("sup"));
        CompletableFuture<Reply> patch = faulty.request("PATCH", docs + "/sup").header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"a\":1}").sendAsync();
        lost.get(20, TimeUnit.SECONDS);
        // The write landed (version 2), its answer is lost; another writer supersedes it before
        // the faulty storage's driver gives up and resolves the outcome.
        await("the lost write at version 2").atMost(Duration.ofSeconds(20))
                .until(() -> other.get(docs + "/sup").json().path("version").asLong() == 2);
        assertEquals(200, other.request("PATCH", docs + "/sup").body("application/merge-patch+json", "{\"b\":2}")
                .send().status());
        Reply answer = patch.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), "its own write, not a 412: " + answer.raw().body());
        Reply now = other.get(docs + "/sup");
        assertEquals(3, now.json().get("version").asLong(), "applied once: no extra version");
        assertEquals(1, now.json().at("/body/a").asInt());
        assertEquals(2, now.json().at("/body/b").asInt());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsCreatedNot409() throws Exception {
        CompletableFuture<Void> lost = proxy.dropReply(lwtOf("lostcreate"));
        Reply created = faulty.post(docs, Map.of("id", "lostcreate", "body", Map.of("x", 1)));
        assertEquals(true, lost.isDone());
        assertEquals(201, created.status(), () -> created.raw().body());
        assertEquals(1, other.get(docs + "/lostcreate").json().get("version").asLong());
    }
}
