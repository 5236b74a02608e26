package io.casswarm.gate.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.document.BulkCreate;
import io.casswarm.common.document.BulkResult;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.http.Preconditions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP client of storage's documents API ({@code /internal/v1/tenants/{tenant}/collections/...}):
 * common's wire types out and back, every rule of them checked by storage. The names it puts
 * into a path are checked here ({@link Contract}), so nothing a client sends can change the
 * path called. Every write carries its idempotency key, so every call may be retried by
 * {@link StorageClient}: storage tells a retry of a write that landed from a new one by the
 * key, nothing here guesses. Every call answers a future, completed on an event loop: nothing
 * here blocks a thread.
 */
@Singleton
public class StorageDocumentClient {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final StorageClient storage;
    private final StorageJson json;
    private final StorageSettings settings;

    StorageDocumentClient(StorageClient storage, StorageJson json, StorageSettings settings) {
        this.settings = settings;
        this.storage = storage;
        this.json = json;
    }

    /**
     * Creates a document: with the write's id, or (none given) with one storage derives from the
     * key. 409 when the id is taken. A retry of a create that landed (after a lost answer, by
     * this client or by a retry of edge or gate) is answered as created, never as a conflict.
     */
    public CompletableFuture<Document> create(String tenant, String collection, DocumentWrite write, String key) {
        return storage.sendAsync("POST", documents(tenant, collection), headers(MediaType.APPLICATION_JSON, null, key),
                json.write(write), true).thenApply(response -> json.read(response, Document.class));
    }

    /** The document, its body projected to {@code fields} when given; empty when there is none. */
    public CompletableFuture<Optional<StoredDocument>> find(String tenant, String collection, String id,
                                                            @Nullable String fields) {
        String path = document(tenant, collection, id) + (fields == null ? "" : "?fields=" + encode(fields));
        return storage.sendAsync("GET", path, Map.of(), null, true)
                .thenApply(response -> response.status() == 404 ? Optional.empty() : Optional.of(stored(response)));
    }

    public CompletableFuture<StoredDocument> replace(String tenant, String collection, String id, DocumentWrite write,
                                                     @Nullable Long ifMatch, String key) {
        return storage.sendAsync("PUT", document(tenant, collection, id),
                headers(MediaType.APPLICATION_JSON, ifMatch, key), json.write(write), true).thenApply(this::stored);
    }

    /** A merge patch makes a new version each time; its key makes a retry of one that landed a replay. */
    public CompletableFuture<StoredDocument> patch(String tenant, String collection, String id, ObjectNode patch,
                                                   @Nullable Long ifMatch, String key) {
        return storage.sendAsync("PATCH", document(tenant, collection, id), headers(MERGE_PATCH, ifMatch, key),
                json.write(patch), true).thenApply(this::stored);
    }

    /** Deletes; a retry of a delete that landed is answered 204 by storage from the key. */
    public CompletableFuture<Void> delete(String tenant, String collection, String id, @Nullable Long ifMatch,
                                          String key) {
        return storage.sendAsync("DELETE", document(tenant, collection, id), headers(null, ifMatch, key), null, true)
                .thenAccept(response -> {
                    if (!response.isSuccess()) {
                        throw json.failure(response);
                    }
                });
    }

    /** A page of the documents meeting the query (a read: safe to send again). */
    public CompletableFuture<DocumentPage> list(String tenant, String collection, DocumentQuery query) {
        return storage.sendAsync("POST", documents(tenant, collection) + "/query",
                        Map.of(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON), json.write(query), true)
                .thenApply(response -> json.read(response, DocumentPage.class));
    }

    /** Creates up to 100 documents; item i carries the key key#i, so a retry replays item by item. */
    public CompletableFuture<BulkResult> bulk(String tenant, String collection, BulkCreate bulk, String key) {
        return storage.sendAsync("POST", collectionPath(tenant, collection) + "/bulk",
                        headers(MediaType.APPLICATION_JSON, null, key), json.write(bulk), true, settings.bulkTimeout())
                .thenApply(response -> json.read(response, BulkResult.class));
    }

    /** A document answer passed on as it is, with the version its ETag names; any other answer as its problem. */
    private StoredDocument stored(StorageResponse response) {
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        String etag = response.headers().get(HttpHeaders.ETAG);
        try {
            return new StoredDocument(Preconditions.versionOfEtag(etag == null ? "" : etag), response.body());
        } catch (IllegalArgumentException e) {
            throw new StorageUnavailableException("storage answered a document without the ETag of its version");
        }
    }

    private static Map<String, String> headers(@Nullable String contentType, @Nullable Long ifMatch, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put(IdempotencyKey.HEADER, IdempotencyKey.header(key));
        if (contentType != null) {
            headers.put(HttpHeaders.CONTENT_TYPE, contentType);
        }
        if (ifMatch != null) {
            headers.put(HttpHeaders.IF_MATCH, Preconditions.etag(ifMatch));
        }
        return headers;
    }

    private static String collectionPath(String tenant, String collection) {
        return "/internal/v1/tenants/" + Contract.tenant(tenant) + "/collections/" + Contract.collection(collection);
    }

    private static String documents(String tenant, String collection) {
        return collectionPath(tenant, collection) + "/documents";
    }

    private static String document(String tenant, String collection, String id) {
        return documents(tenant, collection) + "/" + Contract.documentId(id);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
