package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON Merge Patch, RFC 7396, section 2, exactly: an object patch merges member by member, a
 * {@code null} member removes, any other patch value replaces. Written here because the
 * libraries that offer it (java-json-tools json-patch) are unmaintained and heavy for ~20
 * lines; {@code JsonMergePatchTest} checks it against every example of the RFC's appendix A.
 */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** Returns the patched copy; neither argument is modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> members = patch.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
