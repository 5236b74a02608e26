package io.casswarm.gate.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
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
 * reaching here are already checked ({@link Names}), so they go into paths as they are.
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
     * Creates a document with the id given; 409 when the id is taken. A retry after a timeout
     * may meet the document its own earlier attempt created: when the document found then is
     * version 1 with the same body, it is that one and counts as created.
     */
    public Document create(String tenant, String collection, DocumentWrite write) {
        StorageResponse response = storage.send("POST", documents(tenant, collection),
                Map.of("Content-Type", JSON), json.write(write), true);
        if (response.status() == 409 && response.attempts() > 1) {
            Optional<Document> existing = find(tenant, collection, write.id());
            if (existing.isPresent() && isOurs(existing.get(), write.body())) {
                return existing.get();
            }
        }
        return document(response);
    }

    public Optional<Document> find(String tenant, String collection, String id) {
        StorageResponse response = storage.send("GET", document(tenant, collection, id), Map.of(), null, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(document(response));
    }

    public Document replace(String tenant, String collection, String id, DocumentWrite write, OptionalLong ifMatch) {
        Map<String, String> headers = headers(JSON, ifMatch);
        return document(storage.send("PUT", document(tenant, collection, id), headers,
                json.write(new Replacement(write.body(), write.ttlSeconds())), true));
    }

    /** A merge patch is not idempotent (each one makes a version): tried again only if never sent. */
    public Document patch(String tenant, String collection, String id, ObjectNode patch, OptionalLong ifMatch) {
        return document(storage.send("PATCH", document(tenant, collection, id), headers(MERGE_PATCH, ifMatch),
                json.write(patch), false));
    }

    /** Deletes; a 404 met by a retry means an earlier attempt deleted it, which is success. */
    public void delete(String tenant, String collection, String id, OptionalLong ifMatch) {
        StorageResponse response = storage.send("DELETE", document(tenant, collection, id), headers(null, ifMatch),
                null, true);
        if (response.isSuccess() || (response.status() == 404 && response.attempts() > 1)) {
            return;
        }
        throw json.failure(response);
    }

    public DocumentPage list(String tenant, String collection, int limit, @Nullable String cursor,
                             Map<String, String> filters) {
        StringBuilder path = new StringBuilder(documents(tenant, collection)).append("?limit=").append(limit);
        if (cursor != null) {
            path.append("&cursor=").append(encode(cursor));
        }
        filters.forEach((field, value) -> path.append("&filter.").append(field).append('=').append(encode(value)));
        StorageResponse response = storage.send("GET", path.toString(), Map.of(), null, true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, DocumentPage.class);
    }

    /** Creates up to 100 documents; ids are set by the caller, so a retry cannot duplicate one. */
    public List<BulkItem> bulk(String tenant, String collection, List<DocumentWrite> writes) {
        StorageResponse response = storage.send("POST", collectionPath(tenant, collection) + "/bulk",
                Map.of("Content-Type", JSON), json.write(Map.of("documents", writes)), true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        JsonNode items = json.read(response, ObjectNode.class).path("items");
        if (!(items instanceof ArrayNode array) || array.size() != writes.size()) {
            throw new StorageUnavailableException("storage answered a bulk create with a wrong item count");
        }
        List<BulkItem> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            int status = item.path("status").asInt(500);
            Document document = item.hasNonNull("document")
                    ? json.mapper().convertValue(item.get("document"), Document.class) : null;
            ObjectNode problem = item.get("problem") instanceof ObjectNode p ? p.deepCopy() : null;
            if (problem != null) {
                problem.remove("instance");
            }
            if (status == 409 && response.attempts() > 1) {
                DocumentWrite write = writes.get(i);
                Optional<Document> existing = find(tenant, collection, write.id());
                if (existing.isPresent() && isOurs(existing.get(), write.body())) {
                    result.add(new BulkItem(201, existing.get(), null));
                    continue;
                }
            }
            result.add(new BulkItem(status, document, problem));
        }
        return result;
    }

    private static boolean isOurs(Document existing, JsonNode body) {
        return existing.version() == 1 && existing.body() != null && existing.body().equals(body);
    }

    private Document document(StorageResponse response) {
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, Document.class);
    }

    private static Map<String, String> headers(@Nullable String contentType, OptionalLong ifMatch) {
        Map<String, String> headers = new HashMap<>();
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
