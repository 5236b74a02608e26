package io.casswarm.storage.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The input rules of documents, from {@link DocumentLimits}: names, bodies, TTLs, page sizes,
 * and what identifies a request for its idempotency key.
 */
@Singleton
final class DocumentRules {

    private final DocumentLimits limits;
    private final ObjectMapper json;
    private final Pattern tenant;
    private final Pattern collection;
    private final Pattern id;

    DocumentRules(DocumentLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
        this.tenant = Pattern.compile(limits.tenantPattern());
        this.collection = Pattern.compile(limits.collectionPattern());
        this.id = Pattern.compile(limits.idPattern());
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

    /** A {@code limit} query parameter as a number (its range is checked by {@link #pageSize}). */
    static Integer parseLimit(String limit) {
        try {
            return Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw InvalidDocumentException.invalid("limit must be a number");
        }
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

    /**
     * What identifies a request for its idempotency key: the operation, the document, the
     * precondition and the content. The same key with another fingerprint is another request (422).
     */
    static String fingerprint(String operation, DocumentKey key, @Nullable Long expectedVersion,
                              @Nullable Integer ttlSeconds, @Nullable String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {operation, key.scope(), key.id(), String.valueOf(expectedVersion),
                    String.valueOf(ttlSeconds), content == null ? "" : content}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
