package io.casswarm.storage.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The input rules of documents, from the contract ({@link Contract}, which storage enforces
 * in full): names, bodies, TTLs, page sizes, bulk requests, and what identifies a request for
 * its idempotency key.
 */
@Singleton
final class DocumentRules {

    private final DocumentWriteSettings settings;
    private final ObjectMapper json;

    DocumentRules(DocumentWriteSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    DocumentWriteSettings settings() {
        return settings;
    }

    void checkScope(String tenantName, String collectionName) {
        Contract.tenant(tenantName);
        Contract.collection(collectionName);
    }

    DocumentKey key(String tenantName, String collectionName, String documentId) {
        checkScope(tenantName, collectionName);
        return new DocumentKey(tenantName, collectionName, Contract.documentId(documentId));
    }

    /** Checks a body and returns it as the compact JSON text that is stored. */
    String bodyText(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidDocumentException.invalid("body must be a JSON object");
        }
        int depth = depth(body);
        if (depth > Contract.MAX_BODY_DEPTH) {
            throw InvalidDocumentException.invalid("body nests " + depth + " levels deep; at most "
                    + Contract.MAX_BODY_DEPTH + " are allowed");
        }
        if (!allNumbersFinite(body)) {
            throw InvalidDocumentException.invalid("body holds a number beyond the range of a 64-bit float"
                    + " (about 1.8e308), which cannot be indexed");
        }
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw InvalidDocumentException.invalid("body cannot be written as JSON");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Contract.MAX_BODY_BYTES) {
            throw InvalidDocumentException.tooLarge("body is " + bytes + " bytes; at most "
                    + Contract.MAX_BODY_BYTES + " are allowed");
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
        return Contract.ttlSeconds(ttlSeconds);
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

    /** Numbers are kept exactly in the body, but indexed as 64-bit floats: beyond their range, none is stored. */
    private static boolean allNumbersFinite(JsonNode node) {
        if (node.isFloatingPointNumber() || node.isBigInteger()) {
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
