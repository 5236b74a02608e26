package io.casswarm.storage.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The input rules of documents, from {@link DocumentLimits}: names, bodies, TTLs, page sizes,
 * cursors and filters. Also how a body's top-level scalars become filterable entries.
 */
@Singleton
final class DocumentRules {

    private static final String CURSOR_PREFIX = "v1:";

    private final DocumentLimits limits;
    private final ObjectMapper json;
    private final Pattern tenant;
    private final Pattern collection;
    private final Pattern id;
    private final Pattern field;

    DocumentRules(DocumentLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
        this.tenant = Pattern.compile(limits.tenantPattern());
        this.collection = Pattern.compile(limits.collectionPattern());
        this.id = Pattern.compile(limits.idPattern());
        this.field = Pattern.compile(limits.fieldPattern());
    }

    DocumentLimits limits() {
        return limits;
    }

    void checkScope(String tenantName, String collectionName) {
        if (tenantName == null || !tenant.matcher(tenantName).matches()) {
            throw InvalidDocumentException.invalid("tenant must match " + limits.tenantPattern());
        }
        if (collectionName == null || !collection.matcher(collectionName).matches()) {
            throw InvalidDocumentException.invalid("collection must match " + limits.collectionPattern());
        }
    }

    DocumentKey key(String tenantName, String collectionName, String documentId) {
        checkScope(tenantName, collectionName);
        if (documentId == null || !id.matcher(documentId).matches()) {
            throw InvalidDocumentException.invalid("id must match " + limits.idPattern());
        }
        return new DocumentKey(tenantName, collectionName, documentId);
    }

    /** Checks a body and returns it as the compact JSON text that is stored. */
    String bodyText(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidDocumentException.invalid("body must be a JSON object");
        }
        int depth = depth(body);
        if (depth > limits.maxDepth()) {
            throw InvalidDocumentException.invalid("body nests " + depth + " levels deep; at most "
                    + limits.maxDepth() + " are allowed");
        }
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw InvalidDocumentException.invalid("body cannot be written as JSON");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxBodyBytes()) {
            throw InvalidDocumentException.tooLarge("body is " + bytes + " bytes; at most "
                    + limits.maxBodyBytes() + " are allowed");
        }
        return text;
    }

    ObjectNode parse(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored body is not a JSON object", e);
        }
    }

    /** 0 for no TTL; otherwise the checked number of seconds. */
    int ttl(@Nullable Integer ttlSeconds) {
        if (ttlSeconds == null) {
            return 0;
        }
        if (ttlSeconds < 1 || ttlSeconds > limits.maxTtlSeconds()) {
            throw InvalidDocumentException.invalid("ttlSeconds must be between 1 and " + limits.maxTtlSeconds());
        }
        return ttlSeconds;
    }

    int pageSize(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return limits.defaultPageSize();
        }
        int size;
        try {
            size = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw InvalidDocumentException.invalid("limit must be a number between 1 and " + limits.maxPageSize());
        }
        if (size < 1 || size > limits.maxPageSize()) {
            throw InvalidDocumentException.invalid("limit must be between 1 and " + limits.maxPageSize());
        }
        return size;
    }

    String cursorAfter(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor points after; "" (before every id) when there is no cursor. */
    String afterId(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return "";
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                String after = text.substring(CURSOR_PREFIX.length());
                if (id.matcher(after).matches()) {
                    return after;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidDocumentException.invalid("cursor is not one this API returned");
    }

    /** {@code filter.<field>=<value>} parameters as index entries, sorted. */
    Set<String> filterEntries(Map<String, String> filters) {
        if (filters.size() > limits.maxFilters()) {
            throw InvalidDocumentException.invalid("at most " + limits.maxFilters() + " filters are allowed");
        }
        Set<String> entries = new TreeSet<>();
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            if (!field.matcher(filter.getKey()).matches()) {
                throw InvalidDocumentException.invalid("filter field must match " + limits.fieldPattern());
            }
            if (filter.getValue().length() > limits.maxFilterValueLength()) {
                throw InvalidDocumentException.invalid("filter value longer than "
                        + limits.maxFilterValueLength() + " characters");
            }
            entries.add(filter.getKey() + "=" + filter.getValue());
        }
        return entries;
    }

    /**
     * The entries {@code name=value} a body is found by: every top-level string, number or
     * boolean whose name matches the field pattern and whose text is short enough. Numbers
     * are written without trailing zeros (3.0 is "3"), so filter.n=3 finds 3 and 3.0; a
     * string "3" is found by it as well. Nulls, objects and arrays are not filterable.
     */
    Set<String> fieldEntries(JsonNode body) {
        Set<String> entries = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> members = body.fields();
        while (members.hasNext() && entries.size() < limits.maxIndexedFields()) {
            Map.Entry<String, JsonNode> member = members.next();
            JsonNode value = member.getValue();
            String text;
            if (value.isTextual()) {
                text = value.textValue();
            } else if (value.isNumber()) {
                text = number(value.decimalValue());
            } else if (value.isBoolean()) {
                text = Boolean.toString(value.booleanValue());
            } else {
                continue;
            }
            if (text.length() <= limits.maxFilterValueLength() && field.matcher(member.getKey()).matches()) {
                entries.add(member.getKey() + "=" + text);
            }
        }
        return entries;
    }

    private static String number(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static int depth(JsonNode root) {
        int max = 0;
        Deque<Map.Entry<JsonNode, Integer>> stack = new ArrayDeque<>();
        stack.push(Map.entry(root, 1));
        while (!stack.isEmpty()) {
            Map.Entry<JsonNode, Integer> next = stack.pop();
            max = Math.max(max, next.getValue());
            for (JsonNode child : next.getKey()) {
                if (child.isContainerNode()) {
                    stack.push(Map.entry(child, next.getValue() + 1));
                }
            }
        }
        return max;
    }
}
