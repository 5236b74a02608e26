package io.casswarm.common.logging.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.logging.EcsFields;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template body common installs, built from the resource and the settings. No container. */
class IndexTemplateTest {

    private static ObjectNode body(Consumer<ShipperSettings.Builder> tweak) {
        ShipperSettings.Builder builder = new ShipperSettings.Builder();
        tweak.accept(builder);
        return IndexTemplate.body(builder.build());
    }

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

    @Test
    void settingsGoIntoTheBody() {
        ObjectNode body = body(b -> {
            b.refreshInterval = "7s";
            b.replicas = 1;
            b.retention = "3d";
        });
        assertEquals(IndexTemplate.PATTERN, body.get("index_patterns").get(0).asText());
        assertEquals(IndexTemplate.PRIORITY, body.get("priority").asInt());
        assertTrue(body.has("data_stream"));
        JsonNode settings = body.get("template").get("settings");
        assertEquals("7s", settings.get("index.refresh_interval").asText());
        assertEquals("7s", IndexTemplate.refreshInterval(body));
        assertEquals(1, settings.get("index.number_of_replicas").asInt());
        assertEquals("3d", body.get("template").get("lifecycle").get("data_retention").asText());
        assertTrue(IndexTemplate.hasRetention(body));
    }

    @Test
    void theDefaultRefreshIntervalIsFiveSeconds() {
        assertEquals("5s", IndexTemplate.refreshInterval(body(b -> { })));
    }

    @Test
    void theHashFollowsEverySetting() {
        String base = IndexTemplate.hashOf(body(b -> { }));
        assertEquals(base, IndexTemplate.hashOf(body(b -> { })), "same settings, same hash");
        assertNotEquals(base, IndexTemplate.hashOf(body(b -> b.refreshInterval = "2s")));
        assertNotEquals(base, IndexTemplate.hashOf(body(b -> b.replicas = 2)));
        assertNotEquals(base, IndexTemplate.hashOf(body(b -> b.retention = "7d")));
    }

    @Test
    void withoutRetentionDropsLifecycleAndIlmButKeepsTheRest() {
        ObjectNode full = body(b -> {
            b.retention = "7d";
            b.ilmPolicy = "logs";
        });
        ObjectNode bare = IndexTemplate.withoutRetention(full);
        assertFalse(IndexTemplate.hasRetention(bare));
        assertEquals(full.get("template").get("mappings"), bare.get("template").get("mappings"));
        assertEquals("5s", IndexTemplate.refreshInterval(bare));
        assertNotEquals(IndexTemplate.hashOf(full), IndexTemplate.hashOf(bare));
        assertTrue(IndexTemplate.hasRetention(full), "the original is left as it was");
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
