package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listing in token order with cursors, and every filter operator of the query model (eq, gt,
 * gte, lt, lte on numbers, strings and timestamps, in, exists, dotted paths) and projection,
 * over 2,500 documents, each answer checked against the same predicate computed here.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingTest {

    private static final int DOCUMENTS = 2500;
    private static final String[] COLORS = {"red", "green", "blue", "yellow", "black"};
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

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
                items.add(Map.of("id", id(i), "body", body(i)));
            }
            bulks.add(api.request("POST", base + "/bulk").json(Map.of("documents", items)).sendAsync());
            if (bulks.size() == 4) {
                bulks.forEach(bulk -> assertAllCreated(bulk.join()));
                bulks.clear();
            }
        }
        bulks.forEach(bulk -> assertAllCreated(bulk.join()));
    }

    private static Map<String, Object> body(int i) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("n", i);
        body.put("color", COLORS[i % COLORS.length]);
        body.put("even", i % 2 == 0);
        body.put("size", i % 3 == 0 ? 1.0 : 2);
        body.put("name", String.format("n%05d", i));
        body.put("due", START.plusSeconds(3600L * i).toString());
        body.put("tags", List.of(COLORS[i % COLORS.length], "t" + (i % 7)));
        body.put("nested", Map.of("color", "red", "depth", Map.of("level", i % 10)));
        if (i % 4 == 0) {
            body.put("note", i % 8 == 0 ? "x" : null);
        }
        body.put("limit", i % 2);
        return body;
    }

    private static String id(int i) {
        return String.format("doc-%05d", i);
    }

    @Test
    void pagesOf100ListEveryDocumentExactlyOnceInAStableOrder() {
        List<String> first = listAll(List.of(), 100);
        assertEquals(DOCUMENTS, first.size());
        assertEquals(DOCUMENTS, new HashSet<>(first).size(), "no duplicates");
        assertEquals(first, listAll(List.of(), 37), "the same order whatever the page size");
    }

    @Test
    void defaultPageSizeIsFiftyAndAPageReadsInProportionToItsSize() {
        Reply page = api.get(docs);
        assertEquals(50, page.json().get("items").size());
        assertNotNull(page.json().get("nextCursor").textValue());
        // 51 document rows for a page of 50 (one more tells whether there is a next page).
        assertEquals("51", page.header("X-Casswarm-Rows-Read"));
        Reply small = api.get(docs + "?limit=5&cursor=" + page.json().get("nextCursor").textValue());
        assertEquals(5, small.json().get("items").size());
        // 5, one more, and the row the cursor points at (read again: token >= t, ties are possible).
        assertEquals("7", small.header("X-Casswarm-Rows-Read"));
    }

    @Test
    void equalityOnStringsNumbersBooleansNullsAndArrayElements() {
        assertEquals(matching(i -> i % 5 == 0), query(37, cond("color", "$eq", "red")));
        assertEquals(matching(i -> i % 3 == 0), query(1000, cond("size", "$eq", 1)), "1 matches 1.0");
        assertEquals(matching(i -> i % 5 == 1 && i % 2 == 0 && i % 3 == 0),
                query(1000, cond("color", "$eq", "green"), cond("even", "$eq", true), cond("size", "$eq", 1)));
        assertEquals(List.of(id(1234)), query(10, cond("n", "$eq", 1234)));
        assertEquals(matching(i -> i % 7 == 3), query(100, cond("tags", "$eq", "t3")), "array elements");
        assertEquals(matching(i -> i % 4 == 0 && i % 8 != 0), query(100, cond("note", "$eq", (Object) null)));
        assertEquals(List.of(), query(100, cond("color", "$eq", "purple")));
        assertEquals(List.of(), query(100, cond("n", "$eq", "1234")), "a string is not a number");
    }

    @Test
    void aFieldNamedLimitIsFilteredLikeAnyOther() {
        assertEquals(matching(i -> i % 2 == 1), query(500, cond("limit", "$eq", 1)));
    }

    @Test
    void rangesOnNumbersWithBothBoundsAndCursorsAcrossPages() {
        assertEquals(matching(i -> i > 2400), query(7, cond("n", "$gt", 2400)));
        assertEquals(matching(i -> i >= 100 && i < 200), query(9, cond("n", "$gte", 100), cond("n", "$lt", 200)));
        assertEquals(matching(i -> i <= 10), query(3, cond("n", "$lte", 10)));
        assertEquals(matching(i -> i > 1000 && i <= 1300 && i % 5 == 2),
                query(11, cond("n", "$gt", 1000), cond("n", "$lte", 1300), cond("color", "$eq", "blue")),
                "a range joined with an equality");
    }

    @Test
    void rangesOnStringsAndTimestamps() {
        assertEquals(matching(i -> i >= 2490), query(4, cond("name", "$gte", "n02490")));
        assertEquals(matching(i -> i < 15), query(4, cond("name", "$lt", "n00015")));
        String due = START.plusSeconds(3600L * 2000).toString();
        assertEquals(matching(i -> i > 2000), query(33, cond("due", "$gt", due)));
        assertEquals(matching(i -> i <= 5), query(2, cond("due", "$lte", "2025-01-01T05:00:00+00:00")),
                "an offset other than Z is the same instant");
    }

    @Test
    void inExistsAndNestedPaths() {
        assertEquals(matching(i -> i % 5 == 0 || i % 5 == 3), query(41, cond("color", "$in", "red", "yellow")));
        assertEquals(matching(i -> (i % 5 == 0 || i % 5 == 3) && i < 300),
                query(13, cond("color", "$in", "red", "yellow"), cond("n", "$lt", 300)), "in joined with a range");
        assertEquals(matching(i -> i % 4 == 0), query(100, cond("note", "$exists", true)), "null values exist");
        assertEquals(matching(i -> i % 10 == 7), query(50, cond("nested.depth.level", "$eq", 7)));
        assertEquals(matching(i -> i % 10 >= 8), query(99, cond("nested.depth.level", "$gte", 8)));
        assertEquals(matching(i -> true).size(), query(1000, cond("nested.depth", "$exists", true)).size());
    }

    @Test
    void projectionKeepsTheNamedPathsOnly() {
        Reply page = api.post(docs + "/query", Map.of("where", List.of(cond("n", "$eq", 42)),
                "fields", List.of("name", "nested.depth.level", "absent")));
        JsonNode body = page.json().at("/items/0/body");
        assertEquals("{\"name\":\"n00042\",\"nested\":{\"depth\":{\"level\":2}}}", body.toString());
        assertEquals(1, page.json().at("/items/0/version").asLong(), "metadata is always there");
        Reply one = api.get(docs + "/" + id(43) + "?fields=color,tags");
        assertEquals("{\"color\":\"yellow\",\"tags\":[\"yellow\",\"t1\"]}", one.json().get("body").toString());
        assertEquals(400, api.get(docs + "/" + id(43) + "?fields=a..b").status());
    }

    @Test
    void whatNoIndexServesIsA400ThatSaysWhich() {
        Reply twoRanges = api.post(docs + "/query", Map.of("where", List.of(cond("n", "$gt", 1), cond("size", "$lt", 2))));
        assertEquals(400, twoRanges.status());
        assertTrue(twoRanges.json().get("detail").asText().contains("two paths"), twoRanges.raw().body());
        Reply absent = api.post(docs + "/query", Map.of("where", List.of(cond("note", "$exists", false))));
        assertEquals(400, absent.status());
        assertTrue(absent.json().get("detail").asText().contains("note $exists"), absent.raw().body());
        Reply bool = api.post(docs + "/query", Map.of("where", List.of(cond("even", "$gt", true))));
        assertEquals(400, bool.status());
        Reply mixed = api.post(docs + "/query", Map.of("where", List.of(cond("n", "$gt", 1), cond("n", "$lt", "z"))));
        assertEquals(400, mixed.status(), mixed.raw().body());
    }

    @Test
    void filtersStayInTheirCollectionAndFollowChanges() {
        String other = docs.replace("/collections/items/", "/collections/others/");
        assertEquals(201, api.post(other, Map.of("id", "o", "body", Map.of("color", "red"))).status());
        Reply page = api.post(other + "/query", Map.of("where", List.of(cond("color", "$eq", "red"))));
        assertEquals(1, page.json().get("items").size());

        String path = docs.replace("/collections/items/", "/collections/changing/");
        api.post(path, Map.of("id", "c", "body", Map.of("state", "open", "rank", 5)));
        assertEquals(1, api.post(path + "/query", Map.of("where", List.of(cond("rank", "$gt", 4)))).json()
                .get("items").size());
        api.request("PATCH", path + "/c").body("application/merge-patch+json", "{\"state\":\"closed\",\"rank\":null}")
                .send();
        assertEquals(0, api.post(path + "/query", Map.of("where", List.of(cond("state", "$eq", "open")))).json()
                .get("items").size());
        assertEquals(1, api.post(path + "/query", Map.of("where", List.of(cond("state", "$eq", "closed")))).json()
                .get("items").size());
        assertEquals(0, api.post(path + "/query", Map.of("where", List.of(cond("rank", "$gt", 4)))).json()
                .get("items").size(), "the index row of a removed field is gone");
        assertEquals(204, api.delete(path + "/c").status());
        assertEquals(0, api.post(path + "/query", Map.of("where", List.of(cond("state", "$eq", "closed")))).json()
                .get("items").size());
        assertEquals(0, api.get(path).json().get("items").size(), "a deleted document is not listed");
    }

    private static Map<String, Object> cond(String path, String op, Object... values) {
        return Map.of("path", path, "op", op, "values", Arrays.asList(values));
    }

    private static List<String> matching(IntPredicate test) {
        return IntStream.range(0, DOCUMENTS).filter(test).mapToObj(ListingTest::id).sorted().toList();
    }

    @SafeVarargs
    private List<String> query(int limit, Map<String, Object>... where) {
        List<Object> conditions = List.of((Object[]) where);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("where", conditions);
            query.put("limit", limit);
            query.put("cursor", cursor);
            Reply page = api.post(docs + "/query", query);
            assertEquals(200, page.status(), () -> page.raw().body());
            page.json().get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            assertTrue(cursor == null || page.json().get("items").size() == limit, "only the last page is short");
        } while (cursor != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no document twice");
        return new ArrayList<>(new TreeSet<>(seen));
    }

    private List<String> listAll(List<Object> where, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get(docs + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
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
