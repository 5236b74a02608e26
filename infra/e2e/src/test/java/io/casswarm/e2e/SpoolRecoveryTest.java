package io.casswarm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Log events survive their process: with Elasticsearch stopped, a storage instance logs
 * requests into its disk spool and is then killed; the task swarm starts in its place, on the
 * same spool volume, delivers them once Elasticsearch is back, each exactly once.
 */
@Order(90)
class SpoolRecoveryTest {

    private static final int REQUESTS = 20;
    private static final String DATA_STREAM = "logs-casswarm-default";

    private final Cluster cluster = new Cluster();

    @Test
    void eventsSpooledByAKilledInstanceArriveAfterItsRestart() {
        String run = "spool-" + UUID.randomUUID().toString().substring(0, 8);
        Cluster.Task storage = cluster.requireContainer("storage");
        scaleElasticsearch(0);
        try {
            Cluster.waitFor("elasticsearch stopped", Duration.ofMinutes(2), () -> cluster.container("elasticsearch").isEmpty());
            for (int i = 0; i < REQUESTS; i++) {
                Cluster.Answer answer = cluster.dockerExecCurl(storage, "GET",
                        "http://127.0.0.1:8081/internal/v1/tenants/e2e/collections/spool/documents/absent", run + "-" + i);
                assertEquals(404, answer.status(), answer.body());
            }
            String last = run + "-" + (REQUESTS - 1);
            Cluster.waitFor("the last request's events written to the spool on disk", Duration.ofSeconds(30), () ->
                    cluster.exec(storage, "grep", "-rqF", last, "/var/lib/casswarm/log-spool").ok());
            // The spool is a folder of the killed task's slot, in a volume of its node: only the
            // next task of that slot on that node delivers it. Swarm may restart a killed task
            // elsewhere (it passes over a node where the service's task just failed), so every
            // other node is paused for new tasks until the slot's new task runs.
            List<String> paused = cluster.nodes().stream().filter(n -> !n.equals(storage.node())).toList();
            try {
                paused.forEach(n -> cluster.availability(n, "pause"));
                cluster.kill(storage).orFail("kill the storage container");
                Cluster.waitFor("a new storage task on " + storage.node() + ", the spool's node", Duration.ofMinutes(3), () -> {
                    List<Cluster.Task> now = cluster.containers("storage");
                    return now.size() == 2 && now.stream().noneMatch(t -> t.container().equals(storage.container()))
                            && now.stream().anyMatch(t -> t.node().equals(storage.node()));
                });
            } finally {
                paused.forEach(n -> cluster.availability(n, "active"));
            }
        } finally {
            scaleElasticsearch(1);
        }
        Cluster.waitFor("elasticsearch healthy again", Duration.ofMinutes(3), () ->
                cluster.healthy("elasticsearch"));
        Duration took = Cluster.waitFor("all " + REQUESTS + " access events of the killed instance in Elasticsearch",
                Duration.ofMinutes(3), () -> accessEvents(run) >= REQUESTS);
        cluster.report("events spooled by a killed storage instance delivered " + took.toSeconds()
                + " s after Elasticsearch was healthy again");
        assertEquals(REQUESTS, accessEvents(run), "each spooled access event indexed exactly once");
    }

    private long accessEvents(String run) {
        cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_refresh", null);
        JsonNode result = cluster.elasticsearch("POST", "/" + DATA_STREAM + "/_count",
                "{\"query\":{\"bool\":{\"filter\":["
                        + "{\"prefix\":{\"trace.id\":\"" + run + "-\"}},"
                        + "{\"term\":{\"service.name\":\"storage\"}},"
                        + "{\"term\":{\"event.dataset\":\"access\"}}]}}}");
        return result.path("count").asLong(-1);
    }

    private void scaleElasticsearch(int replicas) {
        cluster.docker("service", "scale", "--detach", cluster.serviceName("elasticsearch") + "=" + replicas)
                .orFail("scale elasticsearch");
    }
}
