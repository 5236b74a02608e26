package io.casswarm.common.logging.es;

import ch.qos.logback.core.spi.ContextAware;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends batches to Elasticsearch with elasticsearch-java's bulk API: one {@code create} per
 * event with {@code _id} = the event id, into the data stream; {@link #prepare()} installs the
 * index template ({@link TemplateInstaller}). Jackson 2 mapper, no OpenTelemetry instrumentation
 * (so no extra jars are needed at run time), gzip-compressed requests.
 */
final class ElasticsearchBulkSender implements BulkSender {

    private final Rest5Client restClient;
    private final ElasticsearchClient client;
    private final String dataStream;
    private final TemplateInstaller templateInstaller;
    private boolean templateInstalled;

    ElasticsearchBulkSender(ShipperSettings settings, ContextAware status) {
        this.dataStream = settings.dataStream();
        this.restClient = Rest5Client.builder(settings.urls())
                .setConnectionConfigCallback(c -> c
                        .setConnectTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMillis()))
                        .setSocketTimeout(Timeout.ofMilliseconds(settings.requestTimeoutMillis())))
                .setRequestConfigCallback(r -> r
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(settings.requestTimeoutMillis()))
                        .setResponseTimeout(Timeout.ofMilliseconds(settings.requestTimeoutMillis())))
                .setCompressionEnabled(true)
                .build();
        this.client = new ElasticsearchClient(new Rest5ClientTransport(restClient,
                new JacksonJsonpMapper(new ObjectMapper()), null, NoopInstrumentation.INSTANCE));
        this.templateInstaller = new TemplateInstaller(client, IndexTemplate.body(settings), status);
    }

    @Override
    public void prepare() throws IOException {
        if (!templateInstalled) {
            templateInstaller.install();
            templateInstalled = true;
        }
    }

    @Override
    public BulkResult send(List<LogRecord> records) throws IOException {
        List<BulkOperation> ops = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            BinaryData doc = BinaryData.of(r.json(), ContentType.APPLICATION_JSON);
            ops.add(BulkOperation.of(o -> o.create(c -> c.index(dataStream).id(r.id()).document(doc))));
        }
        BulkResponse response = client.bulk(b -> b.operations(ops));
        List<BulkResponseItem> items = response.items();
        if (items.size() != records.size()) {
            return BulkResult.retryAll(records.size());
        }
        List<Outcome> outcomes = new ArrayList<>(items.size());
        String firstRejection = null;
        for (BulkResponseItem item : items) {
            Outcome outcome = Outcome.of(item.status(), item.error() != null);
            outcomes.add(outcome);
            if (outcome == Outcome.REJECTED && firstRejection == null) {
                firstRejection = "event " + item.id() + ": " + item.status() + " "
                        + (item.error() == null ? "" : item.error().type() + ": " + item.error().reason());
            }
        }
        return new BulkResult(outcomes, firstRejection);
    }

    @Override
    public void close() throws IOException {
        restClient.close();
    }
}
