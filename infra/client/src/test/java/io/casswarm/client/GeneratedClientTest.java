package io.casswarm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casswarm.client.api.DocumentsApi;
import io.casswarm.client.model.BulkCreate;
import io.casswarm.client.model.Document;
import io.casswarm.client.model.DocumentPage;
import io.casswarm.client.model.DocumentWrite;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The client openapi-generator made from gate's OpenAPI document reads and writes gate's wire
 * shapes (the JSON below is what gate answers): the document describes them. That the module
 * compiles at all shows the document is one a client can be generated from. Container-free; the
 * round trip against a live cluster is the end-to-end suite's.
 */
class GeneratedClientTest {

    private static final ObjectMapper JSON = ApiClient.createDefaultObjectMapper();

    @Test
    void aPageOfGateReadsIntoTheGeneratedModel() throws Exception {
        DocumentPage page = JSON.readValue("""
                {"items":[{"id":"n1","collection":"notes","version":3,"createdAt":"2026-12-01T10:00:00Z",
                  "updatedAt":"2026-12-01T10:05:00.123Z","expiresAt":null,"body":{"title":"t","n":[1,2]}}],
                 "nextCursor":"Mjo0Mjpu"}""", DocumentPage.class);
        Document document = page.getItems().get(0);
        assertEquals("n1", document.getId());
        assertEquals(3L, document.getVersion());
        assertNull(document.getExpiresAt());
        assertEquals(Map.of("title", "t", "n", List.of(1, 2)), document.getBody());
        assertEquals("Mjo0Mjpu", page.getNextCursor());
    }

    @Test
    void aBulkCreateWritesGatesShape() throws Exception {
        BulkCreate bulk = new BulkCreate().documents(List.of(
                new DocumentWrite().id("a").body(Map.of("k", 1)).ttlSeconds(60),
                new DocumentWrite().body(Map.of())));
        JsonNode written = JSON.readTree(JSON.writeValueAsString(bulk));
        assertEquals(JSON.readTree("{\"documents\":[{\"id\":\"a\",\"body\":{\"k\":1},\"ttlSeconds\":60},{\"body\":{}}]}"),
                written);
    }

    @Test
    void everyDocumentOperationIsThere() throws Exception {
        // Compiles only if the document names each operation with these parameters.
        DocumentsApi api = new DocumentsApi(new ApiClient());
        assertEquals("getDocument", DocumentsApi.class.getMethod("getDocument", String.class, String.class,
                String.class, String.class).getName());
        assertEquals(5, List.of(
                DocumentsApi.class.getMethod("createDocument", String.class, Object.class, Integer.class, String.class),
                DocumentsApi.class.getMethod("patchDocument", String.class, String.class, Object.class, String.class, String.class),
                DocumentsApi.class.getMethod("listDocuments", String.class, Integer.class, String.class, String.class, String.class),
                DocumentsApi.class.getMethod("deleteDocument", String.class, String.class, String.class, String.class),
                DocumentsApi.class.getMethod("putDocument", String.class, String.class, Object.class, Integer.class,
                        String.class, String.class, String.class)).size());
        assertEquals(api.getClass(), DocumentsApi.class);
    }
}
