package io.casswarm.common.logging.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.indices.GetIndexTemplateResponse;
import co.elastic.clients.json.JsonData;
import ch.qos.logback.core.spi.ContextAware;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

/**
 * Installs the {@link IndexTemplate} when Elasticsearch holds another version of it (compared by
 * {@code _meta.casswarm_hash}), so many instances starting at once do not churn it. A template
 * applies to backing indices created after it; the dynamic setting {@code index.refresh_interval}
 * is therefore also set on the backing indices that exist already, so a changed interval takes
 * effect at once.
 */
final class TemplateInstaller {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ElasticsearchClient client;
    private final ObjectNode body;
    private final ContextAware status;

    TemplateInstaller(ElasticsearchClient client, ObjectNode body, ContextAware status) {
        this.client = client;
        this.body = body;
        this.status = status;
    }

    /** Installs if needed; throws while Elasticsearch cannot be reached. */
    void install() throws IOException {
        String wanted = IndexTemplate.hashOf(body);
        String installed = installedHash();
        if (wanted.equals(installed)) {
            status.addInfo("index template " + IndexTemplate.NAME + " already installed (" + installed + ")");
            return;
        }
        try {
            put(body);
            status.addInfo("index template " + IndexTemplate.NAME + " installed (" + wanted + ")");
        } catch (ElasticsearchException e) {
            if (!IndexTemplate.hasRetention(body) || e.status() != 400) {
                throw e;
            }
            put(IndexTemplate.withoutRetention(body));
            status.addInfo("index template " + IndexTemplate.NAME + " installed WITHOUT retention: this Elasticsearch"
                    + " rejected it (" + e.getMessage() + "); old data is not deleted automatically");
        }
        applyRefreshIntervalToExistingIndices();
    }

    private String installedHash() throws IOException {
        try {
            GetIndexTemplateResponse r = client.indices().getIndexTemplate(g -> g.name(IndexTemplate.NAME));
            if (r.indexTemplates().isEmpty()) {
                return null;
            }
            Map<String, JsonData> meta = r.indexTemplates().get(0).indexTemplate().meta();
            JsonData hash = meta == null ? null : meta.get(IndexTemplate.HASH_FIELD);
            return hash == null ? null : hash.to(String.class);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private void put(ObjectNode template) throws IOException {
        String json = MAPPER.writeValueAsString(template);
        client.indices().putIndexTemplate(p -> p.name(IndexTemplate.NAME).withJson(new StringReader(json)));
    }

    private void applyRefreshIntervalToExistingIndices() {
        String interval = IndexTemplate.refreshInterval(body);
        try {
            client.indices().putSettings(p -> p.index(IndexTemplate.PATTERN)
                    .expandWildcards(ExpandWildcard.Open, ExpandWildcard.Hidden)
                    .allowNoIndices(true)
                    .settings(s -> s.refreshInterval(t -> t.time(interval))));
            status.addInfo("index.refresh_interval " + interval + " set on the existing " + IndexTemplate.PATTERN
                    + " indices");
        } catch (IOException | RuntimeException e) {
            // Not worth failing start-up for: new backing indices get it from the template.
            status.addWarn("cannot set index.refresh_interval " + interval + " on the existing " + IndexTemplate.PATTERN
                    + " indices (new ones get it from the template)", e);
        }
    }
}
