package io.casswarm.storage.contract;

import io.casswarm.common.contract.Contract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** storage's hand-written OpenAPI document states the contract's names and limits, not older copies of them. */
class StorageOpenApiTest {

    @Test
    void theDocumentStatesTheContract() throws IOException {
        String document;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/openapi/storage.yml")) {
            assertNotNull(in, "storage.yml is on the classpath");
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String pattern : new String[]{Contract.TENANT, Contract.COLLECTION, Contract.DOCUMENT_ID}) {
            assertTrue(document.contains("pattern: '^" + pattern + "$'"), "storage.yml states the pattern " + pattern);
        }
        assertTrue(document.contains("minimum: 1, maximum: " + Contract.MAX_PAGE_SIZE + ", default: " + Contract.DEFAULT_PAGE_SIZE),
                "storage.yml states the page sizes");
        assertTrue(document.contains("minimum: " + Contract.MIN_TTL_SECONDS + ", maximum: " + Contract.MAX_TTL_SECONDS),
                "storage.yml states the TTL bounds");
    }

    /** It parses as YAML (an unquoted "TTL: none" once made it unreadable to any tool) and names every route. */
    @Test
    void theDocumentIsYamlWithEveryRoute() throws IOException {
        Map<String, Object> document;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/openapi/storage.yml")) {
            document = new org.yaml.snakeyaml.Yaml().load(in);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        String documents = "/internal/v1/tenants/{tenant}/collections/{collection}/";
        for (String path : new String[]{documents + "documents", documents + "documents/query", documents + "documents/{id}",
                documents + "bulk", "/internal/v1/users", "/internal/v1/users/{username}"}) {
            assertTrue(paths.containsKey(path), "storage.yml describes " + path + ": " + paths.keySet());
        }
    }
}
