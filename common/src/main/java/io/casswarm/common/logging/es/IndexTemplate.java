package io.casswarm.common.logging.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The composable index template for {@code logs-casswarm-*} data streams, built from the
 * resource {@value #RESOURCE} (explicit mappings) plus settings from {@link ShipperSettings}:
 * replicas, {@code index.refresh_interval} (default 5 s: an event is searchable within that
 * time after it was indexed; a shorter interval makes Elasticsearch write more, smaller segments
 * under load) and retention.
 *
 * <p>Retention: when {@code retention} is set (e.g. {@code 7d}), the template carries a data
 * stream lifecycle ({@code template.lifecycle.data_retention}): Elasticsearch deletes older
 * backing indices itself. When {@code ilmPolicy} is set, {@code index.lifecycle.name} is set
 * instead (the policy must exist: create it with the ILM API). Elasticsearch builds without the
 * data-streams lifecycle or ILM reject those parts; the installer then installs the template
 * without them and reports that retention is not enforced. The offline casswarm image (no
 * x-pack, no data-streams module) ACCEPTS the lifecycle block (tested) but has neither ILM nor,
 * as far as can be told, the lifecycle service that acts on it: there, nothing is deleted
 * automatically; delete old backing indices by hand ({@code DELETE .ds-logs-casswarm-*-<date>-*}).
 *
 * <p>{@code _meta.casswarm_hash} is a hash of the whole body: {@link TemplateInstaller} reads the
 * installed template and only writes when the hash differs, so many instances starting at once
 * do not churn it, and a changed mapping or setting is rolled out by the next start.
 */
public final class IndexTemplate {

    public static final String RESOURCE = "/io/casswarm/common/logging/casswarm-logs-template.json";
    /** One template for every casswarm log data stream; edge-logs checks for the same name. */
    public static final String NAME = "casswarm-logs";
    public static final String PATTERN = "logs-casswarm-*";
    /** Above the built-in {@code logs-*-*} template (priority 100) of Elasticsearch. */
    public static final int PRIORITY = 200;
    static final String HASH_FIELD = "casswarm_hash";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IndexTemplate() {
    }

    /** The mapping part of the template (as in the resource). */
    public static ObjectNode mappings() {
        return (ObjectNode) resource().get("template").get("mappings");
    }

    /** The body of {@code PUT _index_template/}{@value #NAME}, with the settings' retention, replicas and refresh interval. */
    public static ObjectNode body(ShipperSettings settings) {
        ObjectNode body = resource();
        ArrayNode patterns = body.putArray("index_patterns");
        patterns.add(PATTERN);
        body.put("priority", PRIORITY);
        ObjectNode template = (ObjectNode) body.get("template");
        ObjectNode indexSettings = template.withObjectProperty("settings");
        indexSettings.put("index.number_of_replicas", settings.replicas());
        indexSettings.put("index.refresh_interval", settings.refreshInterval());
        if (!settings.ilmPolicy().isEmpty()) {
            indexSettings.put("index.lifecycle.name", settings.ilmPolicy());
        }
        if (!settings.retention().isEmpty()) {
            template.putObject("lifecycle").put("data_retention", settings.retention());
        }
        return withHash(body);
    }

    /** The same body without lifecycle and ILM parts, for Elasticsearch builds lacking them. */
    public static ObjectNode withoutRetention(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        ObjectNode template = (ObjectNode) copy.get("template");
        template.remove("lifecycle");
        ((ObjectNode) template.get("settings")).remove("index.lifecycle.name");
        return withHash(copy);
    }

    static boolean hasRetention(ObjectNode body) {
        return body.get("template").has("lifecycle")
                || body.get("template").get("settings").has("index.lifecycle.name");
    }

    static String hashOf(ObjectNode body) {
        return body.get("_meta").get(HASH_FIELD).asText();
    }

    static String refreshInterval(ObjectNode body) {
        return body.get("template").get("settings").get("index.refresh_interval").asText();
    }

    private static ObjectNode withHash(ObjectNode body) {
        ObjectNode meta = body.withObjectProperty("_meta");
        meta.remove(HASH_FIELD);
        meta.put(HASH_FIELD, hash(body));
        return body;
    }

    static String hash(JsonNode body) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(body);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode resource() {
        try (InputStream in = IndexTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return (ObjectNode) MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
