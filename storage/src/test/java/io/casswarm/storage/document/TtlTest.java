package io.casswarm.storage.document;

import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TTL on create and replace: documents disappear by themselves, and a replace resets the expiry. */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
class TtlTest {

    @Inject
    EmbeddedServer server;

    Api api;
    String docs;

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        docs = "/internal/v1/tenants/t" + UUID.randomUUID().toString().substring(0, 8) + "/collections/short/documents";
    }

    @Test
    void aDocumentCreatedWithATtlExpires() {
        Reply created = api.post(docs, Map.of("id", "e", "body", Map.of("k", "gone soon"), "ttlSeconds", 2));
        assertEquals(201, created.status());
        Instant expiresAt = Instant.parse(created.json().get("expiresAt").asText());
        assertEquals(2, Duration.between(Instant.parse(created.json().get("createdAt").asText()), expiresAt).toSeconds());
        assertEquals(200, api.get(docs + "/e").status());

        await("e expired").atMost(Duration.ofSeconds(10)).until(() -> api.get(docs + "/e").status() == 404);
        assertEquals(0, api.get(docs).json().get("items").size(), "nor is it listed");
        assertEquals(0, api.post(docs + "/query", Map.of("where", java.util.List.of(Map.of("path", "k", "op", "$eq",
                "values", java.util.List.of("gone soon"))))).json().get("items").size(), "nor found by a filter");
        assertEquals(201, api.post(docs, Map.of("id", "e", "body", Map.of())).status(), "its id is free again");
    }

    @Test
    void aReplaceWithATtlMakesAPermanentDocumentExpire() {
        api.post(docs, Map.of("id", "r", "body", Map.of("v", 1)));
        Reply replaced = api.put(docs + "/r", Map.of("body", Map.of("v", 2), "ttlSeconds", 1));
        assertEquals(200, replaced.status());
        assertTrue(replaced.json().get("expiresAt").isTextual());
        await("r expired").atMost(Duration.ofSeconds(10)).until(() -> api.get(docs + "/r").status() == 404);
    }

    @Test
    void aReplaceWithoutTtlKeepsTheDocumentAndAPatchKeepsTheExpiry() {
        // TTLs long enough for a loaded machine to get the next request in before they end.
        api.post(docs, Map.of("id", "p", "body", Map.of("v", 1), "ttlSeconds", 30));
        Reply replaced = api.put(docs + "/p", Map.of("body", Map.of("v", 2)));
        assertTrue(replaced.json().get("expiresAt").isNull());

        Reply withTtl = api.put(docs + "/p", Map.of("body", Map.of("v", 3), "ttlSeconds", 3600));
        Reply patched = api.request("PATCH", docs + "/p").body("application/merge-patch+json", "{\"w\":1}").send();
        assertEquals(withTtl.json().get("expiresAt"), patched.json().get("expiresAt"), "a patch keeps the expiry");

        api.post(docs, Map.of("id", "q", "body", Map.of(), "ttlSeconds", 8));
        api.post(docs, Map.of("id", "control", "body", Map.of(), "ttlSeconds", 8));
        api.put(docs + "/q", Map.of("body", Map.of("kept", true)));
        // Once a twin created with the same TTL has expired, so would q have, had the
        // replace not removed its expiry.
        await("control expired").atMost(Duration.ofSeconds(40)).until(() -> api.get(docs + "/control").status() == 404);
        assertEquals(200, api.get(docs + "/q").status());
    }
}
