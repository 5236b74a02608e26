package io.casswarm.gate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document gate serves (written by micronaut-openapi at compile time) describes the
 * real shapes: bodies as JSON objects (never base64 strings), the Document, page, bulk and
 * problem answers with their schemas, and every reference resolving. Container-free.
 */
class OpenApiDocumentTest {

    private static Map<String, Object> document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/swagger/casswarm.yml")) {
            assertNotNull(in, "the compiled OpenAPI document is on the classpath");
            document = new Yaml(new LoaderOptions()).load(in);
        }
    }

    @Test
    void bodiesAreJsonNotBase64() {
        List<String> bytes = new ArrayList<>();
        walk(document, "", (path, node) -> {
            if ("byte".equals(node.get("format"))) {
                bytes.add(path);
            }
        });
        assertEquals(List.of(), bytes, "no schema is a base64 string");
        for (String[] operation : new String[][]{{"/api/v1/collections/{collection}/documents", "post"},
                {"/api/v1/collections/{collection}/documents/{id}", "put"}}) {
            Map<String, Object> schema = at(operation(operation[0], operation[1]), "requestBody", "content",
                    "application/json", "schema");
            assertEquals("object", schema.get("type"), operation[1] + " " + operation[0] + " takes a JSON object");
        }
        Map<String, Object> patch = at(operation("/api/v1/collections/{collection}/documents/{id}", "patch"),
                "requestBody", "content", "application/merge-patch+json", "schema");
        assertEquals("object", patch.get("type"), "a merge patch is a JSON object");
    }

    @Test
    void answersHaveTheirSchemas() {
        String documents = "/api/v1/collections/{collection}/documents";
        assertEquals("#/components/schemas/Document", ref(operation(documents, "post"), "201"));
        assertEquals("#/components/schemas/Document", ref(operation(documents + "/{id}", "get"), "200"));
        assertEquals("#/components/schemas/Document", ref(operation(documents + "/{id}", "put"), "200"));
        assertEquals("#/components/schemas/Document", ref(operation(documents + "/{id}", "patch"), "200"));
        assertEquals("#/components/schemas/DocumentPage", ref(operation(documents, "get"), "200"));
        assertEquals("#/components/schemas/BulkResult",
                ref(operation("/api/v1/collections/{collection}/bulk", "post"), "200"));
        Map<String, Object> schemas = at(document, "components", "schemas");
        for (String name : new String[]{"Document", "DocumentPage", "BulkResult", "BulkItemResult", "Problem"}) {
            assertTrue(schemas.containsKey(name), "schema " + name);
        }
        Map<String, Object> documentProperties = at(schemas, "Document", "properties");
        for (String member : new String[]{"id", "collection", "version", "createdAt", "updatedAt", "expiresAt", "body"}) {
            assertTrue(documentProperties.containsKey(member), "Document." + member);
        }
        Map<String, Object> read = at(operation(documents + "/{id}", "get"), "responses");
        for (String status : new String[]{"200", "304", "400", "401", "404", "429", "503"}) {
            assertTrue(read.containsKey(status), "getDocument answers " + status);
        }
        assertTrue(at(read, "200", "headers").containsKey("ETag"), "a read names its ETag header");
    }

    @Test
    void passwordChangesAreDescribed() {
        Map<String, Object> own = operation("/api/v1/session/password", "put");
        assertEquals("changeOwnPassword", own.get("operationId"));
        for (String status : new String[]{"204", "400", "401", "403", "429", "503"}) {
            assertTrue(at(own, "responses").containsKey(status), "changeOwnPassword answers " + status);
        }
        Map<String, Object> body = at(own, "requestBody", "content", "application/json", "schema");
        String name = ((String) body.get("$ref")).substring("#/components/schemas/".length());
        Map<String, Object> members = at(document, "components", "schemas", name, "properties");
        assertTrue(members.containsKey("currentPassword") && members.containsKey("newPassword"), name + ": " + members);
        Map<String, Object> update = at(operation("/api/v1/users/{username}", "patch"),
                "requestBody", "content", "application/json", "schema");
        String updateName = ((String) update.get("$ref")).substring("#/components/schemas/".length());
        Map<String, Object> updateMembers = at(document, "components", "schemas", updateName, "properties");
        assertTrue(updateMembers.containsKey("enabled") && updateMembers.containsKey("password"), updateName + ": " + updateMembers);
        assertTrue(at(document, "components", "schemas", "SessionView", "properties").containsKey("absoluteLifetimeSeconds"));
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        walk(document, "", (path, node) -> {
            if (node.get("$ref") instanceof String target && !resolves(target)) {
                broken.add(path + " -> " + target);
            }
        });
        assertEquals(List.of(), broken);
    }

    private static boolean resolves(String target) {
        if (!target.startsWith("#/")) {
            return false;
        }
        Object node = document;
        for (String part : target.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return false;
            }
            node = map.get(part);
        }
        return true;
    }

    private static Map<String, Object> operation(String path, String method) {
        return at(document, "paths", path, method);
    }

    private static String ref(Map<String, Object> operation, String status) {
        return (String) at(operation, "responses", status, "content", "application/json", "schema").get("$ref");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String part : path) {
            Object next = current.get(part);
            assertTrue(next instanceof Map, () -> "the OpenAPI document has " + String.join(" > ", path) + " (at " + part + ")");
            current = (Map<String, Object>) next;
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object node, String path, java.util.function.BiConsumer<String, Map<String, Object>> visit) {
        if (node instanceof Map<?, ?> map) {
            visit.accept(path, (Map<String, Object>) map);
            map.forEach((key, value) -> walk(value, path + "/" + key, visit));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "/" + i, visit);
            }
        }
    }
}
