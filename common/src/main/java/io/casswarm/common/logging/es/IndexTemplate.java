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
 * resource {@value #RESOURCE} (explicit mappings) plus settings from the appender.
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
 * <p>{@code _meta.casswarm_hash} is a hash of the whole body: installation reads the installed
 * template and only writes when the hash differs, so many instances starting at once do not
 * churn it, and a changed mapping or setting is rolled out by the next start.
 */
public final class IndexTemplate {

    public static final String RESOURCE = "/io/casswarm/common/logging/casswarm-logs-template.json";
    public static final String DEFAULT_NAME = "casswarm-logs";
    public static final String DEFAULT_PATTERN = "logs-casswarm-*";
    /** Above the built-in {@code logs-*-*} template (priority 100) of Elasticsearch. */
    public static final int PRIORITY = 200;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IndexTemplate() {
    }

    /** The mapping part of the template (as in the resource). */
    public static ObjectNode mappings() {
        return (ObjectNode) resource().get("template").get("mappings");
    }

    /**
     * The body of {@code PUT _index_template/<name>}.
     *
     * @param retention data stream lifecycle retention such as {@code 7d}; blank for none
     * @param ilmPolicy ILM policy name; blank for none
     * @param replicas  {@code index.number_of_replicas}
     */
    public static ObjectNode body(String pattern, String retention, String ilmPolicy, int replicas) {
        ObjectNode body = resource();
        ArrayNode patterns = body.putArray("index_patterns");
        patterns.add(pattern);
        body.put("priority", PRIORITY);
        ObjectNode template = (ObjectNode) body.get("template");
        ObjectNode settings = template.withObjectProperty("settings");
        settings.put("index.number_of_replicas", replicas);
        if (ilmPolicy != null && !ilmPolicy.isBlank()) {
            settings.put("index.lifecycle.name", ilmPolicy.trim());
        }
        if (retention != null && !retention.isBlank()) {
            template.putObject("lifecycle").put("data_retention", retention.trim());
        }
        ObjectNode meta = body.withObjectProperty("_meta");
        meta.remove("casswarm_hash");
        meta.put("casswarm_hash", hash(body));
        return body;
    }

    /** The same body without lifecycle and ILM parts, for Elasticsearch builds lacking them. */
    public static ObjectNode withoutRetention(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        ObjectNode template = (ObjectNode) copy.get("template");
        template.remove("lifecycle");
        ((ObjectNode) template.get("settings")).remove("index.lifecycle.name");
        ObjectNode meta = copy.withObjectProperty("_meta");
        meta.remove("casswarm_hash");
        meta.put("casswarm_hash", hash(copy));
        return copy;
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
