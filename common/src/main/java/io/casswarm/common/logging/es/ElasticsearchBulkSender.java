package io.casswarm.common.logging.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.GetIndexTemplateResponse;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sends batches to Elasticsearch with elasticsearch-java's bulk API: one {@code create} per
 * event with {@code _id} = the event id, into the data stream. Jackson 2 mapper, no
 * OpenTelemetry instrumentation (so no extra jars are needed at run time).
 */
final class ElasticsearchBulkSender implements BulkSender {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Rest5Client restClient;
    private final ElasticsearchClient client;
    private final String dataStream;
    private final String templateName;
    private final ObjectNode templateBody;
    private final Consumer<String> info;
    private boolean templateInstalled;

    ElasticsearchBulkSender(List<URI> urls, String dataStream, String templateName, ObjectNode templateBody,
                            int connectTimeoutMillis, int requestTimeoutMillis, Consumer<String> info) {
        this.dataStream = dataStream;
        this.templateName = templateName;
        this.templateBody = templateBody;
        this.info = info;
        this.restClient = Rest5Client.builder(urls)
                .setConnectionConfigCallback(c -> c
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
                        .setSocketTimeout(Timeout.ofMilliseconds(requestTimeoutMillis)))
                .setRequestConfigCallback(r -> r
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(requestTimeoutMillis))
                        .setResponseTimeout(Timeout.ofMilliseconds(requestTimeoutMillis)))
                .setCompressionEnabled(true)
                .build();
        Rest5ClientTransport transport = new Rest5ClientTransport(restClient, new JacksonJsonpMapper(MAPPER), null,
                NoopInstrumentation.INSTANCE);
        this.client = new ElasticsearchClient(transport);
    }

    @Override
    public void prepare() throws Exception {
        if (templateInstalled || templateBody == null) {
            return;
        }
        String wanted = templateBody.get("_meta").get("casswarm_hash").asText();
        String installed = installedHash();
        if (wanted.equals(installed)) {
            info.accept("index template " + templateName + " already installed (" + installed + ")");
        } else {
            try {
                put(templateBody);
                info.accept("index template " + templateName + " installed (" + wanted + ")");
            } catch (ElasticsearchException e) {
                if (!hasRetention() || e.status() != 400) {
                    throw e;
                }
                put(IndexTemplate.withoutRetention(templateBody));
                info.accept("index template " + templateName + " installed WITHOUT retention: this Elasticsearch"
                        + " rejected it (" + e.getMessage() + "); old data is not deleted automatically");
            }
        }
        templateInstalled = true;
    }

    private boolean hasRetention() {
        return templateBody.get("template").has("lifecycle")
                || templateBody.get("template").get("settings").has("index.lifecycle.name");
    }

    private String installedHash() throws IOException {
        try {
            GetIndexTemplateResponse r = client.indices().getIndexTemplate(g -> g.name(templateName));
            if (r.indexTemplates().isEmpty()) {
                return null;
            }
            Map<String, JsonData> meta = r.indexTemplates().get(0).indexTemplate().meta();
            JsonData hash = meta == null ? null : meta.get("casswarm_hash");
            return hash == null ? null : hash.to(String.class);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private void put(ObjectNode body) throws IOException {
        String json = MAPPER.writeValueAsString(body);
        client.indices().putIndexTemplate(p -> p.name(templateName).withJson(new StringReader(json)));
    }

    @Override
    public Result send(List<LogRecord> records) throws Exception {
        List<BulkOperation> ops = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            BinaryData doc = BinaryData.of(r.json(), ContentType.APPLICATION_JSON);
            ops.add(BulkOperation.of(o -> o.create(c -> c.index(dataStream).id(r.id()).document(doc))));
        }
        BulkResponse response = client.bulk(b -> b.operations(ops));
        Outcome[] outcomes = new Outcome[records.size()];
        String firstRejection = null;
        List<BulkResponseItem> items = response.items();
        if (items.size() != records.size()) {
            Arrays.fill(outcomes, Outcome.RETRY);
            return new Result(outcomes, null);
        }
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            int status = item.status();
            if (item.error() == null && status >= 200 && status < 300) {
                outcomes[i] = Outcome.CREATED;
            } else if (status == 409) {
                outcomes[i] = Outcome.DUPLICATE;
            } else if (status == 429 || status >= 500 || status == 408) {
                outcomes[i] = Outcome.RETRY;
            } else {
                outcomes[i] = Outcome.REJECTED;
                if (firstRejection == null) {
                    firstRejection = "event " + item.id() + ": " + status + " "
                            + (item.error() == null ? "" : item.error().type() + ": " + item.error().reason());
                }
            }
        }
        return new Result(outcomes, firstRejection);
    }

    @Override
    public void close() throws IOException {
        restClient.close();
    }
}
