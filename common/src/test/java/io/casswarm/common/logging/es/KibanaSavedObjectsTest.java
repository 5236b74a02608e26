package io.casswarm.common.logging.es;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kibana cannot run here: these checks stand in for an import. The NDJSON must be structurally
 * sound, and every field it uses must exist in the index template this code installs (with a
 * type that can do what the object asks: aggregate/sort needs keyword, number or date).
 * {@code ElasticsearchAppenderTest} repeats the field check against a live mapping.
 */
class KibanaSavedObjectsTest {

    private static final Set<String> TYPES = Set.of("index-pattern", "search", "visualization", "dashboard");
    private static final Set<String> AGGREGATABLE = Set.of("keyword", "long", "integer", "short", "double",
            "float", "date", "boolean", "ip");

    @Test
    void ndjsonIsStructurallySound() throws Exception {
        KibanaObjects k = KibanaObjects.load();
        assertFalse(k.objects.isEmpty());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < k.objects.size(); i++) {
            JsonNode o = k.objects.get(i);
            String where = "line " + (i + 1);
            assertTrue(o.isObject(), where);
            assertFalse(k.lines.get(i).contains("\n"), where);
            assertTrue(o.path("id").isTextual() && !o.get("id").asText().isBlank(), where + ": id");
            assertTrue(TYPES.contains(o.path("type").asText()), where + ": type " + o.path("type"));
            assertTrue(o.path("attributes").isObject(), where + ": attributes");
            assertTrue(o.path("references").isArray(), where + ": references");
            assertTrue(keys.add(o.get("type").asText() + "/" + o.get("id").asText()), where + ": duplicate id");
            if (!o.get("type").asText().equals("index-pattern")) {
                assertFalse(o.get("attributes").path("title").asText().isBlank(), where + ": title");
            }
        }
        for (JsonNode o : k.objects) {
            String where = o.get("type").asText() + "/" + o.get("id").asText();
            Set<String> refNames = new HashSet<>();
            for (JsonNode ref : o.get("references")) {
                assertTrue(refNames.add(ref.path("name").asText()), where + ": duplicate reference name " + ref);
                assertTrue(keys.contains(ref.path("type").asText() + "/" + ref.path("id").asText()),
                        where + ": reference to an object not in the file: " + ref);
            }
            JsonNode source = KibanaObjects.parseEmbedded(o, "searchSourceJSON");
            if (source != null && source.has("indexRefName")) {
                String name = source.get("indexRefName").asText();
                assertTrue(hasRef(o, name, "index-pattern"), where + ": indexRefName " + name + " unresolved");
            }
            switch (o.get("type").asText()) {
                case "index-pattern" -> {
                    assertEquals("logs-casswarm-*", o.get("attributes").get("title").asText());
                    assertEquals("@timestamp", o.get("attributes").get("timeFieldName").asText());
                }
                case "search" -> {
                    assertNotNull(source, where + ": searchSourceJSON");
                    assertTrue(o.get("attributes").get("columns").size() > 0, where + ": columns");
                }
                case "visualization" -> {
                    JsonNode vis = KibanaObjects.parseEmbedded(o, "visState");
                    assertEquals(o.get("attributes").get("title").asText(), vis.get("title").asText(), where);
                    assertTrue(vis.get("aggs").size() > 0, where + ": aggs");
                    Set<String> aggIds = new HashSet<>();
                    vis.get("aggs").forEach(a -> assertTrue(aggIds.add(a.get("id").asText()), where + ": agg id"));
                    for (JsonNode series : vis.path("params").path("seriesParams")) {
                        assertTrue(aggIds.contains(series.path("data").path("id").asText()), where + ": series agg");
                    }
                    assertNotNull(source, where + ": searchSourceJSON");
                }
                case "dashboard" -> {
                    JsonNode panels = KibanaObjects.parseEmbedded(o, "panelsJSON");
                    assertTrue(panels.isArray() && panels.size() > 0, where + ": panels");
                    Set<String> indices = new HashSet<>();
                    for (JsonNode p : panels) {
                        assertTrue(indices.add(p.get("panelIndex").asText()), where + ": panelIndex");
                        assertTrue(p.get("gridData").has("w") && p.get("gridData").has("h"), where + ": gridData");
                        assertTrue(hasRef(o, p.get("panelRefName").asText(), p.get("type").asText()),
                                where + ": panel " + p + " has no matching reference");
                    }
                    assertEquals(panels.size(), o.get("references").size(), where + ": one reference per panel");
                    KibanaObjects.parseEmbedded(o, "optionsJSON");
                }
                default -> fail(where);
            }
        }
        for (String required : List.of("search/casswarm-errors", "search/casswarm-request",
                "search/casswarm-service-gate", "search/casswarm-service-storage", "dashboard/casswarm-overview")) {
            assertTrue(keys.contains(required), "missing " + required);
        }
    }

    @Test
    void everyFieldUsedExistsInTheIndexTemplateWithAUsableType() throws Exception {
        Map<String, String> types = new TreeMap<>();
        KibanaObjects.flattenTypes(IndexTemplate.mappings(), "", types);
        Map<String, Set<String>> uses = KibanaObjects.load().fieldUses();
        Map<String, String> problems = new HashMap<>();
        uses.forEach((field, how) -> {
            String type = types.get(field);
            if (type == null) {
                problems.put(field, "not in the template mapping");
            } else if (how.contains("agg") && !AGGREGATABLE.contains(type)) {
                problems.put(field, "aggregated/sorted but mapped as " + type);
            }
        });
        assertTrue(problems.isEmpty(), "fields: " + problems);
        assertTrue(uses.keySet().containsAll(Set.of("@timestamp", "service.name", "log.level", "trace.id",
                "event.duration", "http.route")), uses.keySet().toString());
    }

    @Test
    void kqlFieldExtractionIgnoresQuotedValues() {
        assertEquals(Set.of("a.b", "c"), KibanaObjects.kqlFields("a.b : \"x: y\" and c : d*"));
    }

    private static boolean hasRef(JsonNode o, String name, String type) {
        for (JsonNode ref : o.get("references")) {
            if (ref.path("name").asText().equals(name) && ref.path("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }
}
