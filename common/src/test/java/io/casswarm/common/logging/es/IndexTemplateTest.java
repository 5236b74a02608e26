package io.casswarm.common.logging.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.logging.EcsFields;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template body common installs, built from the resource and the settings. No container. */
class IndexTemplateTest {

    @Test
    void everyFieldTheEncoderWritesIsMapped() throws Exception {
        ObjectNode mappings = IndexTemplate.mappings();
        List<String> unmapped = new ArrayList<>();
        for (Field f : EcsFields.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String name = (String) f.get(null);
                if (mappingOf(mappings, name).isMissingNode()) {
                    unmapped.add(name);
                }
            }
        }
        assertTrue(unmapped.isEmpty(), "fields without an explicit mapping: " + unmapped);
    }

    /** The mapping of a dotted field name, or a missing node. */
    private static JsonNode mappingOf(JsonNode mappings, String dotted) {
        JsonNode direct = mappings.path("properties").path(dotted);
        if (!direct.isMissingNode()) {
            return direct;
        }
        JsonNode node = mappings;
        for (String part : dotted.split("\\.")) {
            node = node.path("properties").path(part);
        }
        return node;
    }
}
