package io.casswarm.e2e;

import io.casswarm.client.ApiClient;
import io.casswarm.client.ApiException;
import io.casswarm.client.ApiResponse;
import io.casswarm.client.api.DocumentsApi;
import io.casswarm.client.api.SessionApi;
import io.casswarm.client.model.Document;
import io.casswarm.client.model.DocumentPage;
import io.casswarm.client.model.LoginCommand;
import io.casswarm.client.model.SessionView;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client openapi-generator makes from gate's OpenAPI document (infra/client) drives
 * the live edge through a whole document life: what a client generated from the document
 * sends is what gate takes, and what gate answers reads into the generated model. Only the
 * transport is set by hand: TLS trusting the cluster CA and the session's X-Auth-Token.
 */
@Order(65)
class GeneratedClientRoundTripTest {

    private static final String COLLECTION = "generated" + UUID.randomUUID().toString().substring(0, 8);

    private final Cluster cluster = new Cluster();

    @Test
    void documentLifeThroughTheGeneratedClient() throws ApiException {
        String token = logIn();
        DocumentsApi documents = new DocumentsApi(client(token));

        ApiResponse<Document> created = documents.createDocumentWithHttpInfo(COLLECTION,
                Map.of("title", "first", "n", 1), null, UUID.randomUUID().toString());
        assertEquals(201, created.getStatusCode());
        Document document = created.getData();
        String id = document.getId();
        assertNotNull(id, "the created document has an id");
        assertEquals("\"1\"", header(created, "ETag"));
        assertEquals("/api/v1/collections/" + COLLECTION + "/documents/" + id, header(created, "Location"));

        ApiResponse<Document> read = documents.getDocumentWithHttpInfo(COLLECTION, id, null, null);
        assertEquals(200, read.getStatusCode());
        assertEquals("\"1\"", header(read, "ETag"));
        assertEquals(COLLECTION, read.getData().getCollection());
        assertEquals(1L, read.getData().getVersion());
        assertEquals(Map.of("title", "first", "n", 1), read.getData().getBody());
        assertNotNull(read.getData().getCreatedAt(), "createdAt reads as a date-time");

        ApiResponse<Document> patched = documents.patchDocumentWithHttpInfo(COLLECTION, id,
                Map.of("n", 2, "tag", "patched"), "\"1\"", null);
        assertEquals(200, patched.getStatusCode());
        assertEquals("\"2\"", header(patched, "ETag"));
        assertEquals(2L, patched.getData().getVersion());
        assertEquals(Map.of("title", "first", "n", 2, "tag", "patched"), patched.getData().getBody(),
                "the merge patch kept title and changed n");
        ApiException stale = assertThrows(ApiException.class, () ->
                documents.patchDocument(COLLECTION, id, Map.of("n", 3), "\"1\"", null));
        assertEquals(412, stale.getCode(), "a patch on version 1 after version 2: " + stale.getResponseBody());

        DocumentPage page = documents.listDocuments(COLLECTION, 50, null, null, null);
        List<Document> listed = page.getItems().stream().filter(d -> d.getId().equals(id)).toList();
        assertEquals(1, listed.size(), "the new document is in the page: " + page);
        assertEquals(2L, listed.get(0).getVersion());

        ApiResponse<Void> deleted = documents.deleteDocumentWithHttpInfo(COLLECTION, id, "\"2\"", null);
        assertEquals(204, deleted.getStatusCode());
        ApiException gone = assertThrows(ApiException.class, () -> documents.getDocument(COLLECTION, id, null, null));
        assertEquals(404, gone.getCode(), "a read after the delete: " + gone.getResponseBody());
    }

    /** Logs in with the generated SessionApi; the token comes back in the X-Auth-Token header. */
    private String logIn() throws ApiException {
        ApiResponse<SessionView> login = new SessionApi(client(null))
                .loginWithHttpInfo(new LoginCommand().username("admin").password(cluster.adminPassword()));
        assertEquals(200, login.getStatusCode());
        assertEquals("admin", login.getData().getUsername());
        return header(login, "X-Auth-Token");
    }

    /** A client of the first edge, trusting the cluster CA; with a token, every request carries it. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient()
                .setHttpClientBuilder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .sslContext(ClusterCa.sslContext(cluster.root)))
                .setReadTimeout(Duration.ofSeconds(30));
        client.updateBaseUri(cluster.edgeUrls().get(0).toString());
        if (token != null) {
            // The native library has no API-key auth: the security scheme's header goes on here.
            client.setRequestInterceptor(request -> request.header("X-Auth-Token", token));
        }
        return client;
    }

    private static String header(ApiResponse<?> response, String name) {
        List<String> values = response.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).toList();
        assertTrue(values.size() == 1, "one " + name + " header: " + response.getHeaders());
        return values.get(0);
    }
}
