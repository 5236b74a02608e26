package io.casswarm.gate.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.document.query.Projection;
import io.casswarm.gate.storage.StorageClient;
import io.casswarm.gate.storage.StorageJson;
import io.casswarm.gate.storage.StorageResponse;
import io.casswarm.gate.storage.StorageUnavailableException;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The documents API of storage ({@code /internal/v1/tenants/{tenant}/collections/...}). Names
 * reaching here are already checked ({@link Names}), so they go into paths as they are. Every
 * write carries its idempotency key, so every call may be retried by {@link StorageClient}:
 * storage tells a retry of a write that landed from a new one by the key, nothing here guesses.
 */
@Singleton
public class DocumentStore {

    private static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final StorageClient storage;
    private final StorageJson json;

    DocumentStore(StorageClient storage, StorageJson json) {
        this.storage = storage;
        this.json = json;
    }

    /**
     * Creates a document with the id given; 409 when the id is taken. The write's idempotency
     * key goes with it: storage answers a retry of a create that landed (after a lost answer,
     * by this client or by a retry of edge or gate) as created, never as a conflict.
     */
    public Document create(String tenant, String collection, DocumentWrite write, String key) {
        return document(storage.send("POST", documents(tenant, collection), headers(JSON, OptionalLong.empty(), key),
                json.write(write), true));
    }

    public Optional<Document> find(String tenant, String collection, String id, @Nullable Projection fields) {
        String path = document(tenant, collection, id) + (fields == null ? "" : "?fields=" + encode(fields.toString()));
        StorageResponse response = storage.send("GET", path, Map.of(), null, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(document(response));
    }

    public Document replace(String tenant, String collection, String id, DocumentWrite write, OptionalLong ifMatch,
                            String key) {
        return document(storage.send("PUT", document(tenant, collection, id), headers(JSON, ifMatch, key),
                json.write(new Replacement(write.body(), write.ttlSeconds())), true));
    }

    /** A merge patch makes a new version each time; its key makes a retry of one that landed a replay. */
    public Document patch(String tenant, String collection, String id, ObjectNode patch, OptionalLong ifMatch,
                          String key) {
        return document(storage.send("PATCH", document(tenant, collection, id), headers(MERGE_PATCH, ifMatch, key),
                json.write(patch), true));
    }

    /** Deletes; a retry of a delete that landed is answered 204 by storage from the key. */
    public void delete(String tenant, String collection, String id, OptionalLong ifMatch, String key) {
        StorageResponse response = storage.send("DELETE", document(tenant, collection, id),
                headers(null, ifMatch, key), null, true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
    }

    /** A page of the documents meeting the query (a read: safe to send again). */
    public DocumentPage list(String tenant, String collection, DocumentQuery query) {
        StorageResponse response = storage.send("POST", documents(tenant, collection) + "/query",
                Map.of("Content-Type", JSON), json.write(query), true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, DocumentPage.class);
    }

    /** Creates up to 100 documents; item i carries the key key#i, so a retry replays item by item. */
    public List<BulkItem> bulk(String tenant, String collection, List<DocumentWrite> writes, String key) {
        StorageResponse response = storage.send("POST", collectionPath(tenant, collection) + "/bulk",
                headers(JSON, OptionalLong.empty(), key), json.write(Map.of("documents", writes)), true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        JsonNode items = json.read(response, ObjectNode.class).path("items");
        if (!(items instanceof ArrayNode array) || array.size() != writes.size()) {
            throw new StorageUnavailableException("storage answered a bulk create with a wrong item count");
        }
        List<BulkItem> result = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            int status = item.path("status").asInt(500);
            Document document = item.hasNonNull("document")
                    ? json.mapper().convertValue(item.get("document"), Document.class) : null;
            ObjectNode problem = item.get("problem") instanceof ObjectNode p ? p.deepCopy() : null;
            if (problem != null) {
                problem.remove("instance");
            }
            result.add(new BulkItem(status, document, problem));
        }
        return result;
    }

    private Document document(StorageResponse response) {
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, Document.class);
    }

    private static Map<String, String> headers(@Nullable String contentType, OptionalLong ifMatch, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put(IdempotencyKey.HEADER, IdempotencyKey.header(key));
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        ifMatch.ifPresent(version -> headers.put("If-Match", Preconditions.etag(version)));
        return headers;
    }

    private static String collectionPath(String tenant, String collection) {
        return "/internal/v1/tenants/" + tenant + "/collections/" + collection;
    }

    private static String documents(String tenant, String collection) {
        return collectionPath(tenant, collection) + "/documents";
    }

    private static String document(String tenant, String collection, String id) {
        return documents(tenant, collection) + "/" + id;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Body of a replace sent to storage. */
    @Introspected
    record Replacement(JsonNode body, @Nullable Integer ttlSeconds) {
    }
}
