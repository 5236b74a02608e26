package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing with cursors and filtering with the SAI index, over 2,500 documents. */
@ExtendWith(CassandraExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingTest {

    private static final int DOCUMENTS = 2500;
    private static final String[] COLORS = {"red", "green", "blue", "yellow", "black"};

    @Inject
    EmbeddedServer server;

    Api api;
    String base;
    String docs;

    @BeforeAll
    void fill() {
        api = new Api(server.getURI());
        base = "/internal/v1/tenants/t" + UUID.randomUUID().toString().substring(0, 8) + "/collections/items";
        docs = base + "/documents";
        List<CompletableFuture<Reply>> bulks = new ArrayList<>();
        for (int start = 0; start < DOCUMENTS; start += 100) {
            List<Object> items = new ArrayList<>();
            for (int i = start; i < start + 100; i++) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("n", i);
                body.put("color", COLORS[i % COLORS.length]);
                body.put("even", i % 2 == 0);
                body.put("size", i % 3 == 0 ? 1.0 : 2);
                body.put("nested", Map.of("color", "red"));
                items.add(Map.of("id", String.format("doc-%05d", i), "body", body));
            }
            bulks.add(api.request("POST", base + "/bulk").json(Map.of("documents", items)).sendAsync());
            if (bulks.size() == 4) {
                bulks.forEach(bulk -> assertAllCreated(bulk.join()));
                bulks.clear();
            }
        }
        bulks.forEach(bulk -> assertAllCreated(bulk.join()));
    }

    @Test
    void pagesOf100ListEveryDocumentExactlyOnceInIdOrder() {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            Reply page = api.get(docs + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), () -> page.raw().body());
            JsonNode items = page.json().get("items");
            assertTrue(items.size() <= 100);
            items.forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(25, pages, "2,500 in pages of 100 is 25 pages, the last one without a next cursor");
        assertEquals(DOCUMENTS, seen.size());
        assertEquals(DOCUMENTS, new HashSet<>(seen).size(), "no duplicates");
        assertEquals(new ArrayList<>(new TreeSet<>(seen)), seen, "stable id order");
    }

    @Test
    void defaultPageSizeIsFifty() {
        Reply page = api.get(docs);
        assertEquals(50, page.json().get("items").size());
        assertNotNull(page.json().get("nextCursor").textValue());
    }

    @Test
    void filterOnAStringPagesThroughExactlyTheMatches() {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < DOCUMENTS; i += COLORS.length) {
            expected.add(String.format("doc-%05d", i));
        }
        List<String> seen = listAll("filter.color=red", 37);
        assertEquals(new ArrayList<>(expected), seen);
    }

    @Test
    void filtersCombineAndMatchNumbersAndBooleans() {
        List<String> seen = listAll("filter.color=green&filter.even=true&filter.size=1", 1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            if (i % COLORS.length == 1 && i % 2 == 0 && i % 3 == 0) {
                expected.add(String.format("doc-%05d", i));
            }
        }
        assertEquals(expected, seen);
        assertEquals(List.of("doc-01234"), listAll("filter.n=1234", 10));
    }

    @Test
    void filtersMatchOnlyTopLevelScalarsAndOnlyThisCollection() {
        assertEquals(List.of(), listAll("filter.color=purple", 100));
        assertEquals(List.of(), listAll("filter.nested=red", 100));
        String other = docs.replace("/collections/items/", "/collections/others/");
        assertEquals(201, api.post(other, Map.of("id", "o", "body", Map.of("color", "red"))).status());
        Reply page = api.get(other + "?filter.color=red");
        assertEquals(1, page.json().get("items").size());
    }

    @Test
    void aChangedDocumentIsFoundByItsNewValues() {
        String path = docs.replace("/collections/items/", "/collections/changing/");
        api.post(path, Map.of("id", "c", "body", Map.of("state", "open")));
        assertEquals(1, api.get(path + "?filter.state=open").json().get("items").size());
        api.request("PATCH", path + "/c").body("application/merge-patch+json", "{\"state\":\"closed\"}").send();
        assertEquals(0, api.get(path + "?filter.state=open").json().get("items").size());
        assertEquals(1, api.get(path + "?filter.state=closed").json().get("items").size());
    }

    private List<String> listAll(String query, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get(docs + "?" + query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), () -> page.raw().body());
            page.json().get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null);
        return seen;
    }

    private static void assertAllCreated(Reply bulk) {
        assertEquals(200, bulk.status(), () -> bulk.raw().body());
        bulk.json().get("items").forEach(item -> assertEquals(201, item.get("status").asInt(), item::toString));
    }
}
