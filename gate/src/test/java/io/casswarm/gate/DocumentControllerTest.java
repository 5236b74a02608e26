package io.casswarm.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class DocumentControllerTest extends GateTestBase {

    private static final String PASSWORD = "documents password";
    private static final String DOCS = "/api/v1/collections/tasks/documents";

    private String alice;
    private String bob;

    @Inject
    @Named(TaskExecutors.BLOCKING)
    ExecutorService blocking;

    @Value("${micronaut.executors.blocking.n-threads}")
    int blockingThreads;

    @BeforeAll
    void users() {
        String admin = api().adminToken();
        alice = api().token(api().newUser(admin, "alice", PASSWORD), PASSWORD);
        bob = api().token(api().newUser(admin, "bob", PASSWORD), PASSWORD);
    }

    /**
     * The documents API waits for storage on no thread of its own, so it answers while every
     * thread of the blocking executor is taken (by logins waiting for storage, say).
     */
    @Test
    void documentsAreServedWhileEveryBlockingThreadIsTaken() throws Exception {
        Api.Response created = api().postJson(DOCS, alice, "{\"title\":\"served without a blocking thread\"}");
        assertEquals(201, created.status(), created::toString);
        String document = DOCS + "/" + created.json().path("id").asText();
        CountDownLatch taken = new CountDownLatch(blockingThreads);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < blockingThreads; i++) {
                blocking.execute(() -> {
                    taken.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(taken.await(10, TimeUnit.SECONDS), "every blocking thread taken");
            Api.Response read = CompletableFuture.supplyAsync(() -> api().get(document, alice)).get(10, TimeUnit.SECONDS);
            assertEquals(200, read.status(), read::toString);
            Api.Response patched = CompletableFuture.supplyAsync(() -> api().patch(document, alice, "{\"done\":true}"))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(200, patched.status(), patched::toString);
        } finally {
            release.countDown();
        }
    }

    @Test
    void createReadReplacePatchListDelete() {
        Api.Response created = api().postJson(DOCS, alice, "{\"title\":\"write tests\",\"status\":\"open\"}");
        assertEquals(201, created.status(), created::toString);
        JsonNode document = created.json();
        String id = document.path("id").asText();
        assertEquals("tasks", document.path("collection").asText());
        assertEquals(1, document.path("version").asLong());
        assertEquals("open", document.path("body").path("status").asText());
        assertEquals("\"1\"", created.header("ETag"));
        assertEquals(DOCS + "/" + id, created.header("Location"));

        Api.Response read = api().get(DOCS + "/" + id, alice);
        assertEquals(200, read.status());
        assertEquals("\"1\"", read.header("ETag"));
        assertEquals("write tests", read.json().path("body").path("title").asText());

        Map<String, String> conditional = Api.auth(alice);
        conditional.put("If-None-Match", "\"1\"");
        Api.Response notModified = api().send("GET", DOCS + "/" + id, conditional, null);
        assertEquals(304, notModified.status());
        assertEquals("\"1\"", notModified.header("ETag"));

        Api.Response replaced = api().putJson(DOCS + "/" + id, alice, "{\"title\":\"write more tests\",\"status\":\"open\"}",
                "If-Match", "\"1\"");
        assertEquals(200, replaced.status(), replaced::toString);
        assertEquals(2, replaced.json().path("version").asLong());
        assertEquals("\"2\"", replaced.header("ETag"));

        Api.Response patched = api().patch(DOCS + "/" + id, alice, "{\"status\":\"done\",\"title\":null}", "If-Match", "\"2\"");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(3, patched.json().path("version").asLong());
        assertEquals("done", patched.json().path("body").path("status").asText());
        assertFalse(patched.json().path("body").has("title"), "merge patch null removes the member");

        Api.Response stale = api().putJson(DOCS + "/" + id, alice, "{\"lost\":\"update\"}", "If-Match", "\"2\"");
        stale.problem(412);
        api().patch(DOCS + "/" + id, alice, "{\"lost\":1}", "If-Match", "\"1\"").problem(412);
        Map<String, String> staleDelete = Api.auth(alice);
        staleDelete.put("If-Match", "\"2\"");
        api().send("DELETE", DOCS + "/" + id, staleDelete, null).problem(412);
        assertEquals(3, api().get(DOCS + "/" + id, alice).json().path("version").asLong(), "nothing changed");

        Map<String, String> delete = Api.auth(alice);
        delete.put("If-Match", "\"3\"");
        // What the client generated from the OpenAPI document (infra/client) accepts here: no body on success.
        delete.put("Accept", "application/problem+json");
        assertEquals(204, api().send("DELETE", DOCS + "/" + id, delete, null).status());
        api().get(DOCS + "/" + id, alice).problem(404);
        api().delete(DOCS + "/" + id, alice).problem(404);
    }

    @Test
    void putWithIfNoneMatchCreatesWithTheClientsIdOnce() {
        String path = "/api/v1/collections/notes/documents/note-" + System.nanoTime();
        Api.Response created = api().putJson(path, alice, "{\"text\":\"hello\"}", "If-None-Match", "*");
        assertEquals(201, created.status(), created::toString);
        assertEquals(path, created.header("Location"));
        assertEquals("\"1\"", created.header("ETag"));
        api().putJson(path, alice, "{\"text\":\"again\"}", "If-None-Match", "*").problem(412);
        assertEquals("hello", api().get(path, alice).json().path("body").path("text").asText());
        api().putJson(path + "-absent", alice, "{\"text\":\"x\"}").problem(404);
        Api.Response unconditional = api().putJson(path, alice, "{\"text\":\"replaced\"}");
        assertEquals(200, unconditional.status());
        assertEquals(2, unconditional.json().path("version").asLong());
    }

    @Test
    void listingPagesWithACursorFiltersAndProjects() {
        String collection = "/api/v1/collections/list" + System.nanoTime() + "/documents";
        for (int i = 0; i < 7; i++) {
            assertEquals(201, api().postJson(collection, alice,
                    "{\"n\":" + i + ",\"status\":\"" + (i % 2 == 0 ? "open" : "closed") + "\"}").status());
        }
        Set<String> seen = new HashSet<>();
        String next = collection + "?limit=3";
        int pages = 0;
        while (next != null) {
            Api.Response page = api().get(next, alice);
            assertEquals(200, page.status(), page::toString);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            next = nextLink(page);
            if (next != null) {
                assertFalse(page.json().path("nextCursor").isNull(), "a page with a next page names its cursor");
            } else {
                assertTrue(page.json().path("nextCursor").isNull(), "the last page has no cursor");
            }
            assertEquals(java.util.List.of("items", "nextCursor"), fieldNames(page.json()),
                    "a page is common's DocumentPage");
            pages++;
            assertTrue(pages < 10);
        }
        assertEquals(7, seen.size());
        assertTrue(pages >= 3);

        Api.Response open = api().get(collection + "?where=" + where("{\"status\":\"open\"}"), alice);
        assertEquals(200, open.status(), open::toString);
        assertEquals(4, open.json().path("items").size());
        open.json().path("items").forEach(item -> assertEquals("open", item.path("body").path("status").asText()));

        Api.Response filteredPage = api().get(collection + "?limit=2&fields=status&where="
                + where("{\"status\":\"open\"}"), alice);
        String filteredNext = nextLink(filteredPage);
        assertTrue(filteredNext.contains("where=") && filteredNext.contains("fields=status"), filteredNext);
        assertEquals("{\"status\":\"open\"}", filteredPage.json().at("/items/0/body").toString(), "projected");
        Api.Response following = api().get(filteredNext, alice);
        assertEquals(2, following.json().path("items").size(), following::toString);
        Api.Response both = api().get(collection + "?where=" + where("{\"status\":\"closed\",\"n\":{\"$gte\":3}}"),
                alice);
        assertEquals(2, both.json().path("items").size(), both::toString);
        Api.Response range = api().get(collection + "?where=" + where("{\"n\":{\"$gt\":1,\"$lte\":4}}"), alice);
        assertEquals(3, range.json().path("items").size(), range::toString);
        Api.Response limitField = api().get(collection + "?where=" + where("{\"limit\":{\"$exists\":true}}"), alice);
        assertEquals(0, limitField.json().path("items").size(), "a field named limit is just a field");

        api().get(collection + "?status=open", alice).problem(400);
        api().get(collection + "?where=" + where("{\"n\":{\"$gt\":1},\"m\":{\"$lt\":2}}"), alice).problem(400);
        api().get(collection + "?where=" + where("{\"n\":{\"$regex\":\"x\"}}"), alice).problem(400);
        api().get(collection + "?where=" + where("[1]"), alice).problem(400);
        api().get(collection + "?limit=0", alice).problem(400);
        api().get(collection + "?limit=abc", alice).problem(400);
        api().get(collection + "?cursor=%21%21", alice).problem(400);
        api().get(collection + "?cursor=bm90LWEtY3Vyc29y", alice).problem(400);
    }

    /** The path and query of the Link header's next page, or null. */
    private static String nextLink(Api.Response page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        assertTrue(link.startsWith("<") && link.endsWith(">; rel=\"next\""), link);
        return link.substring(1, link.indexOf('>'));
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String where(String json) {
        return java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void bulkCreateReportsEachDocument() {
        String collection = "/api/v1/collections/bulk" + System.nanoTime();
        String taken = "taken-" + System.nanoTime();
        assertEquals(201, api().putJson(collection + "/documents/" + taken, alice, "{}", "If-None-Match", "*").status());
        Api.Response bulk = api().postJson(collection + "/bulk", alice,
                "{\"documents\":[{\"body\":{\"a\":1}},{\"id\":\"" + taken + "\",\"body\":{\"a\":2}},"
                        + "{\"id\":\"fresh\",\"body\":{\"a\":3},\"ttlSeconds\":3600}]}");
        assertEquals(200, bulk.status(), bulk::toString);
        JsonNode items = bulk.json().path("items");
        assertEquals(3, items.size());
        assertEquals(201, items.get(0).path("status").asInt());
        assertEquals(409, items.get(1).path("status").asInt());
        assertNotNull(items.get(1).get("problem"));
        assertEquals(201, items.get(2).path("status").asInt());
        assertFalse(items.get(2).path("document").path("expiresAt").isNull());
        assertEquals(3, api().get(collection + "/documents", alice).json().path("items").size());

        api().postJson(collection + "/bulk", alice, "{\"documents\":[]}").problem(400);
        StringBuilder tooMany = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"body\":{}}");
        }
        api().postJson(collection + "/bulk", alice, tooMany.append("]}").toString()).problem(400);
        api().postJson(collection + "/bulk", alice, "{\"documents\":[{\"body\":[]}]}").problem(400);
        assertEquals(3, api().get(collection + "/documents", alice).json().path("items").size(), "nothing changed");
    }

    @Test
    void aDocumentWithATtlExpires() {
        Api.Response created = api().postJson("/api/v1/collections/ttl/documents?ttl=2", alice, "{\"brief\":true}");
        assertEquals(201, created.status(), created::toString);
        assertFalse(created.json().path("expiresAt").isNull());
        String path = created.header("Location");
        assertEquals(200, api().get(path, alice).status());
        Api.await("the document expired", Duration.ofSeconds(15), () -> api().get(path, alice).status() == 404);
        api().get(path, alice).problem(404);
        api().postJson("/api/v1/collections/ttl/documents?ttl=0", alice, "{}").problem(400);
        api().postJson("/api/v1/collections/ttl/documents?ttl=x", alice, "{}").problem(400);
    }

    @Test
    void anotherTenantsDocumentsAreNotFound() {
        Api.Response created = api().postJson(DOCS, alice, "{\"secret\":\"alice's\"}");
        String path = created.header("Location");
        api().get(path, bob).problem(404);
        api().putJson(path, bob, "{\"secret\":\"bob's\"}").problem(404);
        api().patch(path, bob, "{\"secret\":\"bob's\"}").problem(404);
        api().delete(path, bob).problem(404);
        api().putJson(path, bob, "{\"mine\":true}", "If-None-Match", "*");
        for (JsonNode item : api().get(DOCS, bob).json().path("items")) {
            assertFalse(item.path("body").has("secret"), "bob lists none of alice's documents");
        }
        Api.Response still = api().get(path, alice);
        assertEquals(1, still.json().path("version").asLong());
        assertEquals("alice's", still.json().path("body").path("secret").asText());
    }

    @Test
    void errorStatuses() {
        api().get(DOCS + "/nope-" + System.nanoTime(), alice).problem(404);
        api().postJson(DOCS, alice, "[1,2]").problem(400);
        api().postJson(DOCS, alice, "{\"a\":1}{\"b\":2}").problem(400);
        api().postJson(DOCS, alice, "{\"a\":1,\"a\":2}").problem(400);
        api().send("POST", DOCS, contentType(alice, "text/plain"), "{}").problem(415);
        api().send("PATCH", DOCS + "/x", contentType(alice, "application/json"), "{}").problem(415);
        api().postJson(DOCS, alice, "{\"big\":\"" + "x".repeat(1_100_000) + "\"}").problem(413);
        api().postJson(DOCS, alice, "{\"huge\":\"" + "x".repeat(9_000_000) + "\"}").problem(413);
        api().get(DOCS, null).problem(401);
        api().send("PUT", DOCS + "/x", contentTypeWith(alice, "If-None-Match", "\"3\""), "{}").problem(400);
        api().send("PUT", DOCS + "/x", contentTypeWith(alice, "If-Match", "3"), "{}").problem(400);
        api().send("PUT", DOCS + "/x", contentTypeWith(alice, "If-Match", "W/\"1\""), "{}").problem(412);
        api().send("DELETE", "/api/v1/collections/tasks", Api.auth(alice), null).problem(404);
        api().send("DELETE", DOCS, Api.auth(alice), null).problem(405);
        assertNull(null);
    }

    private static Map<String, String> contentType(String token, String type) {
        Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", type);
        return headers;
    }

    private static Map<String, String> contentTypeWith(String token, String header, String value) {
        Map<String, String> headers = contentType(token, "application/json");
        headers.put(header, value);
        return headers;
    }
}
