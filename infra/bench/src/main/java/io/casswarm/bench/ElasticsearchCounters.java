package io.casswarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Elasticsearch's indexing counters, read inside its container on its node (it is not
 * published): documents indexed ({@code indices.indexing.index_total}) and shard-level bulk
 * operations ({@code indices.bulk.total_operations}, one per bulk request per shard it touches;
 * the log data stream has one shard), summed over its nodes.
 */
final class ElasticsearchCounters {

    record Counters(long documents, long bulks) {
        /** What happened between {@code before} and this reading. */
        Counters since(Counters before) {
            return new Counters(documents - before.documents, bulks - before.bulks);
        }

        double documentsPerBulk() {
            return bulks == 0 ? 0 : documents / (double) bulks;
        }
    }

    private static final String PATH = "http://127.0.0.1:9200/_nodes/stats/indices?filter_path="
            + "nodes.*.indices.indexing.index_total,nodes.*.indices.bulk.total_operations";

    private final Swarm swarm;
    private final ObjectMapper json;

    ElasticsearchCounters(Swarm swarm, ObjectMapper json) {
        this.swarm = swarm;
        this.json = json;
    }

    Counters read(List<Swarm.Task> tasks) {
        Swarm.Task elasticsearch = tasks.stream().filter(t -> t.service().equals("elasticsearch")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running elasticsearch task"));
        Swarm.Result answer = swarm.onNode(elasticsearch.node(), Duration.ofSeconds(30), "exec", elasticsearch.container(),
                "curl", "-sS", "-m", "20", PATH);
        if (!answer.ok()) {
            throw new IllegalStateException("Elasticsearch's stats did not answer: " + answer.output().strip());
        }
        try {
            long documents = 0;
            long bulks = 0;
            for (JsonNode node : json.readTree(answer.output()).path("nodes")) {
                documents += node.path("indices").path("indexing").path("index_total").asLong();
                bulks += node.path("indices").path("bulk").path("total_operations").asLong();
            }
            return new Counters(documents, bulks);
        } catch (IOException e) {
            throw new IllegalStateException("Elasticsearch's stats are not JSON: " + answer.output().strip(), e);
        }
    }
}
