package io.casswarm.common.logging.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: reads {@code kibana/saved-objects.ndjson} and lists the fields its objects use
 * (data view time field, saved search columns/sort/queries, visualization aggregations/queries).
 */
public final class KibanaObjects {

    static final Path FILE = Path.of("..", "kibana", "saved-objects.ndjson");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** {@code field :} in a KQL query (quoted values are removed first). */
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][A-Za-z0-9_.@]*)\\s*:");

    final List<String> lines;
    final List<JsonNode> objects = new ArrayList<>();

    private KibanaObjects(List<String> lines) throws IOException {
        this.lines = lines;
        for (String line : lines) {
            objects.add(MAPPER.readTree(line));
        }
    }

    static KibanaObjects load() throws IOException {
        return load(FILE);
    }

    /** Reads a saved-objects NDJSON file (the end-to-end suite checks it against the live mapping). */
    public static KibanaObjects load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        return new KibanaObjects(lines);
    }

    static JsonNode parseEmbedded(JsonNode object, String attribute) throws IOException {
        JsonNode attrs = object.get("attributes");
        JsonNode value = attribute.equals("searchSourceJSON")
                ? attrs.path("kibanaSavedObjectMeta").path("searchSourceJSON") : attrs.path(attribute);
        return value.isMissingNode() ? null : MAPPER.readTree(value.asText());
    }

    /** Every field used, with "agg" when it must be aggregatable (aggregations, sort). */
    Map<String, Set<String>> fieldUses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JsonNode o : objects) {
            JsonNode attrs = o.get("attributes");
            String type = o.get("type").asText();
            if (type.equals("index-pattern")) {
                use(uses, attrs.get("timeFieldName").asText(), "agg");
            }
            if (type.equals("search")) {
                attrs.path("columns").forEach(c -> use(uses, c.asText(), "column"));
                attrs.path("sort").forEach(s -> use(uses, s.get(0).asText(), "agg"));
            }
            JsonNode source = parseEmbedded(o, "searchSourceJSON");
            if (source != null && source.has("query")) {
                for (String f : kqlFields(source.get("query").path("query").asText())) {
                    use(uses, f, "query");
                }
            }
            if (type.equals("visualization")) {
                for (JsonNode agg : parseEmbedded(o, "visState").get("aggs")) {
                    JsonNode field = agg.path("params").path("field");
                    if (field.isTextual()) {
                        use(uses, field.asText(), "agg");
                    }
                }
            }
        }
        return uses;
    }

    public Set<String> referencedFields() throws IOException {
        return fieldUses().keySet();
    }

    static Set<String> kqlFields(String query) {
        String unquoted = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
        Set<String> fields = new LinkedHashSet<>();
        Matcher m = KQL_FIELD.matcher(unquoted);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    private static void use(Map<String, Set<String>> uses, String field, String how) {
        uses.computeIfAbsent(field, k -> new LinkedHashSet<>()).add(how);
    }

    /** Flattens a mapping ({@code properties}, multi-{@code fields}) into dotted field name to type. */
    static void flatten(JsonNode mappings, String prefix, Set<String> out) {
        Map<String, String> typed = new TreeMap<>();
        flattenTypes(mappings, prefix, typed);
        out.addAll(typed.keySet());
    }

    public static void flattenTypes(JsonNode node, String prefix, Map<String, String> out) {
        JsonNode props = node.path("properties");
        Iterator<Map.Entry<String, JsonNode>> it = props.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode def = e.getValue();
            if (def.has("type")) {
                out.put(name, def.get("type").asText());
            }
            if (def.has("properties")) {
                flattenTypes(def, name + ".", out);
            }
            def.path("fields").fields().forEachRemaining(f -> out.put(name + "." + f.getKey(),
                    f.getValue().path("type").asText()));
        }
    }
}
