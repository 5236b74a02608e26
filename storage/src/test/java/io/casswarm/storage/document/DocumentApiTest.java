package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every document operation and every rule of the internal API, against a real Cassandra. */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
class DocumentApiTest {

    @Inject
    EmbeddedServer server;

    Api api;
    String tenant;
    String docs;

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        docs = "/internal/v1/tenants/" + tenant + "/collections/notes/documents";
    }

    @Test
    void fullCycleCreateReadReplacePatchListDelete() {
        Reply created = api.post(docs, Map.of("id", "n1", "body", Map.of("title", "first", "n", 1)));
        assertEquals(201, created.status());
        assertEquals("\"1\"", created.header("ETag"));
        assertEquals(docs + "/n1", created.header("Location"));
        assertEquals("n1", created.json().get("id").asText());
        assertEquals("notes", created.json().get("collection").asText());
        assertEquals(1, created.json().get("version").asLong());
        assertEquals(created.json().get("createdAt"), created.json().get("updatedAt"));
        assertTrue(created.json().get("expiresAt").isNull());
        assertEquals("first", created.json().at("/body/title").asText());

        Reply read = api.get(docs + "/n1");
        assertEquals(200, read.status());
        assertEquals("\"1\"", read.header("ETag"));
        assertEquals(created.json(), read.json());

        Reply replaced = api.request("PUT", docs + "/n1").header("If-Match", "\"1\"")
                .json(Map.of("body", Map.of("title", "second"))).send();
        assertEquals(200, replaced.status());
        assertEquals(2, replaced.json().get("version").asLong());
        assertEquals("\"2\"", replaced.header("ETag"));
        assertFalse(replaced.json().get("body").has("n"), "a replace replaces the whole body");
        assertEquals(created.json().get("createdAt"), replaced.json().get("createdAt"));

        Reply patched = api.request("PATCH", docs + "/n1")
                .body("application/merge-patch+json", "{\"tags\":{\"a\":1},\"title\":null}").send();
        assertEquals(200, patched.status());
        assertEquals(3, patched.json().get("version").asLong());
        assertEquals(Api.json("{\"tags\":{\"a\":1}}"), patched.json().get("body"));

        Reply page = api.get(docs);
        assertEquals(200, page.status());
        assertEquals(1, page.json().get("items").size());
        assertTrue(page.json().get("nextCursor").isNull());

        Reply deleted = api.request("DELETE", docs + "/n1").header("If-Match", "\"3\"").send();
        assertEquals(204, deleted.status());
        assertEquals(404, api.get(docs + "/n1").status());
        assertEquals(0, api.get(docs).json().get("items").size());
    }

    @Test
    void createWithoutIdGetsAServerId() {
        Reply created = api.post(docs, Map.of("body", Map.of()));
        assertEquals(201, created.status());
        String id = created.json().get("id").asText();
        assertEquals(36, id.length());
        assertEquals(200, api.get(docs + "/" + id).status());
        assertTrue(created.json().get("body").isObject(), "an empty body is still an object");
    }

    @Test
    void createIsCreateOnly() {
        assertEquals(201, api.post(docs, Map.of("id", "same", "body", Map.of("v", 1))).status());
        Reply again = api.post(docs, Map.of("id", "same", "body", Map.of("v", 2)));
        assertProblem(again, 409, "/problems/conflict");
        assertEquals(1, api.get(docs + "/same").json().at("/body/v").asInt(), "the 409 changed nothing");
    }

    @Test
    void missingDocumentsAre404() {
        assertProblem(api.get(docs + "/nope"), 404, "/problems/not-found");
        assertProblem(api.put(docs + "/nope", Map.of("body", Map.of())), 404, "/problems/not-found");
        assertProblem(api.request("PATCH", docs + "/nope").body("application/merge-patch+json", "{}").send(),
                404, "/problems/not-found");
        assertProblem(api.delete(docs + "/nope"), 404, "/problems/not-found");
        assertProblem(api.request("DELETE", docs + "/nope").header("If-Match", "\"1\"").send(), 404,
                "/problems/not-found");
    }

    @Test
    void staleVersionsAre412WithTheCurrentVersion() {
        api.post(docs, Map.of("id", "v", "body", Map.of("a", 1)));
        api.put(docs + "/v", Map.of("body", Map.of("a", 2)));

        Reply put = api.request("PUT", docs + "/v").header("If-Match", "\"1\"").json(Map.of("body", Map.of())).send();
        assertProblem(put, 412, "/problems/precondition-failed");
        assertEquals(2, put.json().get("currentVersion").asLong());

        Reply patch = api.request("PATCH", docs + "/v").header("If-Match", "\"5\"")
                .body("application/merge-patch+json", "{\"b\":1}").send();
        assertProblem(patch, 412, "/problems/precondition-failed");
        assertEquals(2, patch.json().get("currentVersion").asLong());

        Reply delete = api.request("DELETE", docs + "/v").header("If-Match", "\"1\"").send();
        assertProblem(delete, 412, "/problems/precondition-failed");
        assertEquals(2, delete.json().get("currentVersion").asLong());

        assertEquals(Api.json("{\"a\":2}"), api.get(docs + "/v").json().get("body"), "the 412s changed nothing");
        assertProblem(api.request("PUT", docs + "/v").header("If-Match", "abc").json(Map.of("body", Map.of())).send(),
                400, "/problems/bad-request");
        assertProblem(api.request("PUT", docs + "/v").header("If-Match", "W/\"2\"").json(Map.of("body", Map.of())).send(),
                412, "/problems/precondition-failed");
    }

    @Test
    void tenantsAreIsolated() {
        api.post(docs, Map.of("id", "secret", "body", Map.of("x", 1)));
        String other = "/internal/v1/tenants/other" + tenant + "/collections/notes/documents";
        assertEquals(404, api.get(other + "/secret").status());
        assertEquals(0, api.get(other).json().get("items").size());
        assertEquals(404, api.delete(other + "/secret").status());
        assertEquals(201, api.post(other, Map.of("id", "secret", "body", Map.of("x", 2))).status(),
                "the same id is a different document in another tenant");
        assertEquals(1, api.get(docs + "/secret").json().at("/body/x").asInt());
    }

    @Test
    void namesFollowTheirPatterns() {
        assertProblem(api.post("/internal/v1/tenants/" + tenant + "/collections/bad%20name/documents",
                Map.of("body", Map.of())), 400, "/problems/validation");
        assertProblem(api.post("/internal/v1/tenants/" + tenant + "/collections/" + "c".repeat(65) + "/documents",
                Map.of("body", Map.of())), 400, "/problems/validation");
        assertProblem(api.post("/internal/v1/tenants/-bad/collections/notes/documents", Map.of("body", Map.of())),
                400, "/problems/validation");
        assertProblem(api.post(docs, Map.of("id", "has space", "body", Map.of())), 400, "/problems/validation");
        assertProblem(api.post(docs, Map.of("id", "x".repeat(129), "body", Map.of())), 400, "/problems/validation");
        assertProblem(api.get(docs + "/" + "x".repeat(129)), 400, "/problems/validation");
        assertProblem(api.put(docs + "/a", Map.of("id", "b", "body", Map.of())), 400, "/problems/validation");
    }

    @Test
    void bodiesMustBeObjectsWithinTheLimits() {
        // Not an object: the request does not bind to DocumentWrite at all.
        assertProblem(api.post(docs, Map.of("id", "a", "body", List.of(1, 2))), 400, "/problems/bad-request");
        assertProblem(api.post(docs, Map.of("id", "a", "body", "text")), 400, "/problems/bad-request");
        assertProblem(api.post(docs, Map.of("id", "a")), 400, "/problems/validation");
        assertProblem(api.request("POST", docs).body("application/json", "{\"id\":\"a\",\"body\":null}").send(),
                400, "/problems/validation");

        String deep = "{\"a\":".repeat(33) + "1" + "}".repeat(33);
        Reply tooDeep = api.request("POST", docs).body("application/json", "{\"id\":\"a\",\"body\":" + deep + "}").send();
        assertProblem(tooDeep, 400, "/problems/validation");
        String deepest = "{\"a\":".repeat(31) + "1" + "}".repeat(31);
        assertEquals(201, api.request("POST", docs)
                .body("application/json", "{\"id\":\"deep\",\"body\":" + deepest + "}").send().status());

        Reply tooLarge = api.post(docs, Map.of("id", "big", "body", Map.of("s", "x".repeat(1024 * 1024))));
        assertProblem(tooLarge, 413, "/problems/payload-too-large");
        assertEquals(201, api.post(docs, Map.of("id", "fits", "body", Map.of("s", "x".repeat(1000 * 1024)))).status());

        assertProblem(api.request("PATCH", docs + "/fits")
                .body("application/merge-patch+json", "{\"t\":\"" + "y".repeat(100 * 1024) + "\"}").send(),
                413, "/problems/payload-too-large");
        assertProblem(api.request("PATCH", docs + "/fits").body("application/merge-patch+json", "[1]").send(),
                400, "/problems/bad-request");
        assertEquals(1, api.get(docs + "/fits").json().get("version").asLong(), "rejected patches changed nothing");
        assertEquals(404, api.get(docs + "/a").status(), "rejected creates wrote nothing");
        assertEquals(404, api.get(docs + "/big").status());
    }

    @Test
    void micronautErrorsAreProblemsToo() {
        assertProblem(api.request("POST", docs).body("application/json", "{\"id\": ").send(), 400, null);
        assertProblem(api.request("POST", docs).body("text/plain", "hello").send(), 415, null);
        assertProblem(api.request("PATCH", docs + "/x").body("application/json", "{}").send(), 415, null);
        assertProblem(api.post(docs, Map.of("id", "huge", "body", Map.of("s", "x".repeat(3 * 1024 * 1024)))), 413, null);
        assertProblem(api.get("/internal/v1/nothing-here"), 404, null);
        assertProblem(api.request("DELETE", docs).send(), 405, null);
    }

    @Test
    void ttlsMustBeInRange() {
        assertProblem(api.post(docs, Map.of("id", "t", "body", Map.of(), "ttlSeconds", 0)), 400, "/problems/validation");
        assertProblem(api.post(docs, Map.of("id", "t", "body", Map.of(), "ttlSeconds", -5)), 400, "/problems/validation");
        assertProblem(api.post(docs, Map.of("id", "t", "body", Map.of(), "ttlSeconds", 630720001)), 400,
                "/problems/validation");
        Reply withTtl = api.post(docs, Map.of("id", "t", "body", Map.of(), "ttlSeconds", 3600));
        assertEquals(201, withTtl.status());
        assertNotNull(withTtl.json().get("expiresAt").textValue());
    }

    @Test
    void listingLimitsAndCursorsAreChecked() {
        assertProblem(api.get(docs + "?limit=0"), 400, "/problems/validation");
        assertProblem(api.get(docs + "?limit=1001"), 400, "/problems/validation");
        assertProblem(api.get(docs + "?limit=ten"), 400, "/problems/validation");
        assertProblem(api.get(docs + "?cursor=not-a-cursor"), 400, "/problems/validation");
        assertProblem(api.get(docs + "?filter.a=1"), 400, "/problems/validation");
        assertProblem(api.post(docs + "/query", Map.of("where", List.of(Map.of("path", "a b", "op", "$eq",
                "values", List.of(1))))), 400, "/problems/validation");
        assertProblem(api.post(docs + "/query", Map.of("where", List.of(Map.of("path", "a", "op", "$exists",
                "values", List.of(false))))), 400, "/problems/validation");
        assertProblem(api.post(docs + "/query", Map.of("where", List.of(), "cursor", "djE6eA")), 400,
                "/problems/validation");
        assertEquals(200, api.get(docs + "?limit=1000").status());
    }

    @Test
    void bulkCreateReportsEachItem() {
        api.post(docs, Map.of("id", "taken", "body", Map.of()));
        List<Object> items = new ArrayList<>();
        items.add(Map.of("id", "b1", "body", Map.of("k", 1)));
        items.add(Map.of("id", "taken", "body", Map.of("k", 2)));
        items.add(Map.of("body", Map.of("k", 4), "ttlSeconds", 600));
        Reply bulk = api.post(bulkPath(), Map.of("documents", items));
        assertEquals(200, bulk.status());
        JsonNode results = bulk.json().get("items");
        assertEquals(3, results.size());
        assertEquals(201, results.get(0).get("status").asInt());
        assertEquals("b1", results.get(0).at("/document/id").asText());
        assertTrue(results.get(0).get("problem").isNull());
        assertEquals(409, results.get(1).get("status").asInt());
        assertEquals(409, results.get(1).at("/problem/status").asInt());
        assertTrue(results.get(1).get("document").isNull());
        assertEquals(201, results.get(2).get("status").asInt());
        assertFalse(results.get(2).at("/document/expiresAt").isNull());
        assertEquals(1, api.get(docs + "/b1").json().at("/body/k").asInt());
    }

    @Test
    void anItemBreakingARuleRefusesTheWholeBulkAndWritesNothing() {
        List<Map<String, Object>> repeated = List.of(Map.of("id", "r1", "body", Map.of("k", 1)),
                Map.of("id", "r2", "body", Map.of()), Map.of("id", "r1", "body", Map.of("k", 5)));
        Reply twice = api.post(bulkPath(), Map.of("documents", repeated));
        assertProblem(twice, 400, "/problems/validation");
        assertTrue(twice.json().get("detail").asText().startsWith("documents[2].id"), twice.raw().body());
        List<Map<String, Object>> badTtl = List.of(Map.of("id", "r1", "body", Map.of()),
                Map.of("id", "r3", "body", Map.of(), "ttlSeconds", 0));
        assertTrue(api.post(bulkPath(), Map.of("documents", badTtl)).json().get("detail").asText()
                .startsWith("documents[1]: "));
        assertProblem(api.post(bulkPath(), Map.of("documents", List.of(Map.of("id", "r1", "body", "not an object")))),
                400, "/problems/bad-request");
        assertProblem(api.post(bulkPath(), Map.of("documents", List.of(Map.of("id", "r1", "body",
                Map.of("x", "y".repeat(1_100_000)))))), 413, "/problems/payload-too-large");
        assertProblem(api.get(docs + "/r1"), 404, "/problems/not-found");
        assertProblem(api.get(docs + "/r2"), 404, "/problems/not-found");
    }

    @Test
    void bulkCreateHasLimits() {
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(Map.of("id", "m" + i, "body", Map.of()));
        }
        assertProblem(api.post(bulkPath(), Map.of("documents", tooMany)), 400, "/problems/validation");
        assertEquals(0, api.get(docs).json().get("items").size(), "a refused bulk wrote nothing");
        assertProblem(api.post(bulkPath(), Map.of("documents", List.of())), 400, "/problems/validation");
        assertProblem(api.post(bulkPath(), Map.of()), 400, "/problems/validation");

        Reply hundred = api.post(bulkPath(), Map.of("documents", tooMany.subList(0, 100)));
        assertEquals(200, hundred.status());
        for (JsonNode item : hundred.json().get("items")) {
            assertEquals(201, item.get("status").asInt());
        }
        assertEquals(100, api.get(docs + "?limit=1000").json().get("items").size());
    }

    @Test
    void requestIdIsEchoed() {
        Reply reply = api.request("GET", docs + "/x").header("X-Request-Id", "req-123").send();
        assertEquals("req-123", reply.header("X-Request-Id"));
    }

    @Test
    void healthReportsTheRing() {
        Reply health = new Api(Api.managementUri(server)).get("/health");
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("status").asText());
        assertEquals(1, health.json().at("/details/cassandra/details/nodesUp").asInt());
    }

    @Test
    void theOpenApiDocumentIsServed() {
        Reply openapi = api.get("/openapi/storage.yml");
        assertEquals(200, openapi.status());
        assertTrue(openapi.raw().body().contains("/internal/v1/tenants/{tenant}/collections/{collection}/bulk"));
    }

    private String bulkPath() {
        return "/internal/v1/tenants/" + tenant + "/collections/notes/bulk";
    }

    static void assertProblem(Reply reply, int status, String type) {
        assertEquals(status, reply.status(), () -> "body: " + reply.raw().body());
        assertEquals("application/problem+json", reply.contentType(), () -> "body: " + reply.raw().body());
        assertEquals(status, reply.json().get("status").asInt());
        assertNotNull(reply.json().get("title"));
        if (type != null) {
            assertEquals(type, reply.json().get("type").asText());
        }
        assertNull(reply.json().get("stackTrace"));
    }
}
