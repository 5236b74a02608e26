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
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.document.query.Condition;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.document.query.Projection;
import io.casswarm.common.document.query.WhereSyntax;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The documents of one tenant. Every input is checked here before storage sees it: names, JSON
 * (one object, no duplicate keys, nothing after it), sizes, TTLs, limits, filters and cursors.
 * New documents get their id here, from the write's idempotency key, so a create that is
 * retried cannot make two documents.
 */
@Singleton
public class DocumentService {

    private static final Set<String> BULK_ITEM_FIELDS = Set.of("id", "body", "ttlSeconds");

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

    /**
     * POST: a new document whose id is derived from the request's idempotency key, so the same
     * request sent again (by the client, edge or gate) is the same document, answered from its
     * record, never a second one.
     */
    public Document create(String tenant, String collection, byte[] body, @Nullable Integer ttl, String key) {
        Names.collection(collection);
        DocumentWrite write = new DocumentWrite(IdempotencyKey.documentId(tenant, collection, key),
                object(body, "document"), ttl(ttl));
        return store.create(tenant, collection, write, key);
    }

    /** PUT with {@code If-None-Match: *}: a new document with the client's id; 412 if it exists. */
    public Document createWithId(String tenant, String collection, String id, byte[] body, @Nullable Integer ttl,
                                 String key) {
        DocumentWrite write = new DocumentWrite(Names.documentId(id), object(body, "document"), ttl(ttl));
        try {
            return store.create(tenant, Names.collection(collection), write, key);
        } catch (ProblemException e) {
            if (e.problem().status() == 409) {
                throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                        "If-None-Match: * but document " + id + " exists");
            }
            throw e;
        }
    }

    public Document get(String tenant, String collection, String id, @Nullable String fields) {
        Names.collection(collection);
        Names.documentId(id);
        return store.find(tenant, collection, id, Projection.parse(fields))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no document " + id + " in " + collection));
    }

    public Document replace(String tenant, String collection, String id, byte[] body, @Nullable Integer ttl,
                            OptionalLong ifMatch, String key) {
        DocumentWrite write = new DocumentWrite(null, object(body, "document"), ttl(ttl));
        return store.replace(tenant, Names.collection(collection), Names.documentId(id), write, ifMatch, key);
    }

    public Document patch(String tenant, String collection, String id, byte[] patch, OptionalLong ifMatch,
                          String key) {
        ObjectNode parsed = object(patch, "merge patch");
        return store.patch(tenant, Names.collection(collection), Names.documentId(id), parsed, ifMatch, key);
    }

    public void delete(String tenant, String collection, String id, OptionalLong ifMatch, String key) {
        store.delete(tenant, Names.collection(collection), Names.documentId(id), ifMatch, key);
    }

    /**
     * A page of the collection. The query parameters are {@code limit}, {@code cursor},
     * {@code where} (the filter, a JSON object: {@link WhereSyntax}) and {@code fields} (the
     * projection); anything else is a 400, so a typo never silently lists everything.
     */
    public DocumentList list(String tenant, String collection, String path, Map<String, List<String>> parameters) {
        Names.collection(collection);
        int limit = settings.defaultLimit();
        String cursor = null;
        String where = null;
        String fields = null;
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
                case "where" -> where = value;
                case "fields" -> fields = value;
                default -> throw Names.invalid("unknown query parameter " + abbreviate(name)
                        + ": a listing takes limit, cursor, where (a JSON filter such as where={\"status\":\"open\"})"
                        + " and fields");
            }
        }
        List<Condition> conditions = WhereSyntax.parse(where);
        Projection projection = Projection.parse(fields);
        DocumentQuery query = new DocumentQuery(conditions, projection == null ? null : projection.paths(), limit,
                cursor).check();
        DocumentPage page = store.list(tenant, collection, query);
        String next = page.nextCursor() == null ? null : nextLink(path, limit, page.nextCursor(), where, fields);
        return new DocumentList(page.items(), page.nextCursor(), next);
    }

    /**
     * Bulk create: {@code {"documents": [{"id"?, "body": {...}, "ttlSeconds"?}, ...]}}. The whole
     * request is refused when one item is malformed; otherwise each item has its own outcome.
     */
    public List<BulkItem> bulk(String tenant, String collection, byte[] body, String key) {
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
                id = IdempotencyKey.documentId(tenant, collection, IdempotencyKey.itemKey(key, index - 1));
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
        return store.bulk(tenant, collection, writes, key);
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

    private static String nextLink(String path, int limit, String cursor, @Nullable String where,
                                   @Nullable String fields) {
        StringBuilder link = new StringBuilder(path).append("?limit=").append(limit)
                .append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        if (where != null) {
            link.append("&where=").append(URLEncoder.encode(where, StandardCharsets.UTF_8));
        }
        if (fields != null) {
            link.append("&fields=").append(URLEncoder.encode(fields, StandardCharsets.UTF_8));
        }
        return link.toString();
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
