package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After `up` on the simulated swarm: every stateful task on the node carrying its label, the
 * stateless replicas on different nodes, an edge answering on every edge node, and every node
 * that runs a task holding that task's image by the digest it was pulled with from the registry
 * (the workers have no other way to get images: nothing is loaded into them).
 */
@Order(10)
@EnabledIfEnvironmentVariable(named = "CASSWARM_SIM", matches = ".+")
class MultiNodeLayoutTest {

    private static final List<String> STATEFUL = List.of("cassandra1", "cassandra2", "cassandra3", "redis1", "redis2",
            "sentinel1", "sentinel2", "sentinel3", "elasticsearch", "prometheus");

    private final Cluster cluster = new Cluster();

    @Test
    void statefulTasksRunOnTheirLabelledNodes() {
        Map<String, List<String>> placement = cluster.placement();
        Set<String> cassandraNodes = new HashSet<>();
        for (String service : STATEFUL) {
            List<String> labelled = cluster.nodesWithLabel(service);
            assertEquals(1, labelled.size(), "label " + service + " on one node: " + labelled);
            assertEquals(List.of(labelled.get(0)), placement.get(service), service + " runs on its labelled node");
            if (service.startsWith("cassandra")) {
                cassandraNodes.add(labelled.get(0));
            }
        }
        assertEquals(3, cassandraNodes.size(), "the three Cassandra nodes on three machines");
        cluster.report("placement on the simulated swarm: " + placement);
    }

    @Test
    void statelessReplicasAreOnDifferentNodes() {
        Map<String, List<String>> placement = cluster.placement();
        for (String service : List.of("gate", "storage")) {
            List<String> nodes = placement.get(service);
            assertEquals(2, nodes.size(), service + " has two running replicas: " + nodes);
            assertEquals(2, Set.copyOf(nodes).size(), service + " replicas on two different nodes: " + nodes);
        }
        assertEquals(cluster.nodesWithLabel("edge"), placement.get("edge").stream().sorted().toList(),
                "edge on every node labelled edge");
    }

    @Test
    void everyEdgeNodeAnswers() {
        for (var base : cluster.edgeUrls()) {
            HttpResponse<String> health = cluster.edge().only(base).send("GET", "/health", null, null);
            assertEquals(200, health.statusCode(), base + "/health: " + health.body());
        }
    }

    @Test
    void everyNodeRunningATaskPulledItsImageFromTheRegistry() {
        String registry = cluster.nodeAddress(cluster.nodesWithLabel("registry").get(0)) + ":5000";
        int checked = 0;
        for (String service : cluster.placement().keySet()) {
            String image = cluster.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                    cluster.serviceName(service)).orFail("inspect " + service).output().strip();
            assertTrue(image.startsWith(registry + "/casswarm/") && image.contains("@sha256:"),
                    service + " is deployed from the registry by digest: " + image);
            String byDigest = image.replaceFirst(":id-[0-9a-f]+@", "@");
            for (Cluster.Task task : cluster.containers(service)) {
                String digests = cluster.onNode(task.node(), "image", "inspect", "--format",
                        "{{range .RepoDigests}}{{.}} {{end}}", byDigest).orFail(service + "'s image on " + task.node()).output();
                assertTrue(digests.contains(byDigest), task.node() + " holds " + byDigest + ": " + digests);
                checked++;
            }
        }
        assertTrue(checked >= 15, "checked the image of every task: " + checked);
        String catalog = cluster.shell.run(java.time.Duration.ofSeconds(30), "curl", "-sS", "--cacert",
                ClusterCa.certificate(cluster.root).toString(), "https://" + registry + "/v2/_catalog")
                .orFail("registry catalog").output();
        for (String repository : List.of("casswarm/cassandra", "casswarm/gate", "casswarm/storage", "casswarm/haproxy",
                "casswarm/redis", "casswarm/elasticsearch", "casswarm/edge-logs", "casswarm/prometheus")) {
            assertTrue(catalog.contains("\"" + repository + "\""), "registry holds " + repository + ": " + catalog);
        }
        assertFalse(catalog.isBlank());
        cluster.report("images: every one of " + checked + " tasks runs an image its node pulled from " + registry + " by digest");
    }
}
