package io.casswarm.gate.documents;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * The documents of one tenant. Every input is checked here before storage sees it: names, JSON
 * (one object, no duplicate keys, nothing after it), sizes, TTLs, limits, filters and cursors.
 * New documents get their id here, so a create that is retried cannot make two documents.
 */
@Singleton
public class DocumentService {

    private static final Set<String> BULK_ITEM_FIELDS = Set.of("id", "body", "ttlSeconds");
    private static final int MAX_FILTER_VALUE = 256;

    private final DocumentStore store;
    private final DocumentSettings settings;
    private final ObjectReader reader;

    DocumentService(DocumentStore store, DocumentSettings settings, ObjectMapper mapper) {
        this.store = store;
        this.settings = settings;
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** POST: a new document with an id chosen here. */
    public Document create(String tenant, String collection, byte[] body, @Nullable Integer ttl) {
        DocumentWrite write = new DocumentWrite(UUID.randomUUID().toString(), object(body, "document"), ttl(ttl));
        return store.create(tenant, Names.collection(collection), write);
    }

    /** PUT with {@code If-None-Match: *}: a new document with the client's id; 412 if it exists. */
    public Document createWithId(String tenant, String collection, String id, byte[] body, @Nullable Integer ttl) {
        DocumentWrite write = new DocumentWrite(Names.documentId(id), object(body, "document"), ttl(ttl));
        try {
            return store.create(tenant, Names.collection(collection), write);
        } catch (ProblemException e) {
            if (e.problem().status() == 409) {
                throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                        "If-None-Match: * but document " + id + " exists");
            }
            throw e;
        }
    }

    public Document get(String tenant, String collection, String id) {
        Names.collection(collection);
        Names.documentId(id);
        return store.find(tenant, collection, id)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no document " + id + " in " + collection));
    }

    public Document replace(String tenant, String collection, String id, byte[] body, @Nullable Integer ttl,
                            OptionalLong ifMatch) {
        DocumentWrite write = new DocumentWrite(null, object(body, "document"), ttl(ttl));
        return store.replace(tenant, Names.collection(collection), Names.documentId(id), write, ifMatch);
    }

    public Document patch(String tenant, String collection, String id, byte[] patch, OptionalLong ifMatch) {
        ObjectNode parsed = object(patch, "merge patch");
        return store.patch(tenant, Names.collection(collection), Names.documentId(id), parsed, ifMatch);
    }

    public void delete(String tenant, String collection, String id, OptionalLong ifMatch) {
        store.delete(tenant, Names.collection(collection), Names.documentId(id), ifMatch);
    }

    /**
     * A page of the collection. {@code parameters} are the query parameters: {@code limit},
     * {@code cursor}, and the rest are filters on top-level fields ({@code status=open}).
     */
    public DocumentList list(String tenant, String collection, String path, Map<String, List<String>> parameters) {
        Names.collection(collection);
        int limit = settings.defaultLimit();
        String cursor = null;
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            if (values.size() != 1) {
                throw Names.invalid("query parameter " + abbreviate(name) + " must be given once");
            }
            String value = values.get(0);
            switch (name) {
                case "limit" -> limit = limit(value);
                case "cursor" -> cursor = Names.cursor(value);
                default -> {
                    if (value.length() > MAX_FILTER_VALUE) {
                        throw Names.invalid("filter values are at most " + MAX_FILTER_VALUE + " characters");
                    }
                    filters.put(Names.field(name), value);
                }
            }
        }
        if (filters.size() > settings.maxFilters()) {
            throw Names.invalid("at most " + settings.maxFilters() + " filters");
        }
        DocumentPage page = store.list(tenant, collection, limit, cursor, filters);
        String next = page.nextCursor() == null ? null : nextLink(path, limit, page.nextCursor(), filters);
        return new DocumentList(page.items(), page.nextCursor(), next);
    }

    /**
     * Bulk create: {@code {"documents": [{"id"?, "body": {...}, "ttlSeconds"?}, ...]}}. The whole
     * request is refused when one item is malformed; otherwise each item has its own outcome.
     */
    public List<BulkItem> bulk(String tenant, String collection, byte[] body) {
        Names.collection(collection);
        JsonNode root = parse(body, "bulk request", (long) settings.maxDocumentBytes() * settings.maxBulk());
        if (!(root instanceof ObjectNode object) || !(object.get("documents") instanceof ArrayNode documents)
                || object.size() != 1) {
            throw Names.invalid("bulk request must be {\"documents\": [ ... ]}");
        }
        if (documents.isEmpty() || documents.size() > settings.maxBulk()) {
            throw Names.invalid("a bulk create holds 1 to " + settings.maxBulk() + " documents");
        }
        List<DocumentWrite> writes = new ArrayList<>(documents.size());
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode item : documents) {
            String where = "documents[" + index++ + "]";
            if (!(item instanceof ObjectNode fields)) {
                throw Names.invalid(where + " must be an object");
            }
            for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!BULK_ITEM_FIELDS.contains(name)) {
                    throw Names.invalid(where + " has an unknown field " + abbreviate(name));
                }
            }
            String id;
            if (fields.hasNonNull("id")) {
                if (!fields.get("id").isTextual()) {
                    throw Names.invalid(where + ".id must be a string");
                }
                id = Names.documentId(fields.get("id").asText());
            } else {
                id = UUID.randomUUID().toString();
            }
            if (!ids.add(id)) {
                throw Names.invalid(where + ".id repeats an id of this request");
            }
            if (!(fields.get("body") instanceof ObjectNode document)) {
                throw Names.invalid(where + ".body must be a JSON object");
            }
            if (document.toString().getBytes(StandardCharsets.UTF_8).length > settings.maxDocumentBytes()) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                        where + ".body is larger than " + settings.maxDocumentBytes() + " bytes");
            }
            Integer ttl = null;
            if (fields.hasNonNull("ttlSeconds")) {
                JsonNode value = fields.get("ttlSeconds");
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw Names.invalid(where + ".ttlSeconds must be a whole number of seconds");
                }
                ttl = ttl(value.intValue());
            }
            writes.add(new DocumentWrite(id, document, ttl));
        }
        return store.bulk(tenant, collection, writes);
    }

    private ObjectNode object(byte[] body, String what) {
        JsonNode node = parse(body, what, settings.maxDocumentBytes());
        if (!(node instanceof ObjectNode object)) {
            throw Names.invalid(what + " must be a JSON object");
        }
        return object;
    }

    private JsonNode parse(byte[] body, String what, long maxBytes) {
        if (body == null || body.length == 0) {
            throw Names.invalid(what + " is missing");
        }
        if (body.length > maxBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, what + " is larger than " + maxBytes + " bytes");
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Names.invalid(what + " is missing");
            }
            if (!allNumbersFinite(node)) {
                throw Names.invalid(what + " holds a number too large to store");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Names.invalid(what + " is not valid JSON: " + abbreviate(e.getOriginalMessage()));
        } catch (IOException e) {
            throw Names.invalid(what + " cannot be read");
        }
    }

    /** 1e99999 parses as an infinite double, which would be stored as the string "Infinity". */
    private static boolean allNumbersFinite(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return Double.isFinite(node.doubleValue());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (!allNumbersFinite(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= settings.maxLimit()) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw Names.invalid("limit must be a whole number from 1 to " + settings.maxLimit());
    }

    private static @Nullable Integer ttl(@Nullable Integer ttl) {
        if (ttl != null && (ttl < 1 || ttl > DocumentSettings.MAX_TTL_SECONDS)) {
            throw Names.invalid("ttl must be 1 to " + DocumentSettings.MAX_TTL_SECONDS + " seconds");
        }
        return ttl;
    }

    private static String nextLink(String path, int limit, String cursor, Map<String, String> filters) {
        StringBuilder link = new StringBuilder(path).append("?limit=").append(limit)
                .append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        filters.forEach((field, value) -> link.append('&').append(field).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return link.toString();
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
