package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacker's view of the inside (issue 12): a container joined to each tier network, with
 * no credentials, tries every internal service it can reach. storage answers 401 and changes
 * nothing, gate's management port keeps its health details and metrics (401), Redis answers
 * NOAUTH, Cassandra refuses the CQL login, and Elasticsearch is not even
 * reachable except from the networks of its shippers (logs, and data for the Cassandra nodes).
 * There it answers without credentials: the offline image has no security module
 * (docs/SECURITY.md), which this test records as it is.
 *
 * <p>The Redis and Cassandra cases need their authentication (Redis requirepass, Cassandra's
 * PasswordAuthenticator), built beside this test; until then they fail, and say why.
 * Needs the stack deployed with {@code CASSWARM_ATTACHABLE_NETWORKS=true}.
 */
@Order(16)
class InternalTrustTest {

    private final Cluster cluster = new Cluster();

    /** Runs a shell script in a container of storage's image (it has bash and curl) joined to one network. */
    private Map<String, String> probe(String tier, String script) {
        Shell.Result result = cluster.runOnManager(Duration.ofMinutes(2), "--rm", "--network", cluster.network(tier),
                "-e", "LOG_SHIPPING_ENABLED=false", "--entrypoint", "bash", storageImage(), "-c", script)
                .orFail("probe on " + tier);
        Map<String, String> answers = new LinkedHashMap<>();
        for (String line : result.output().lines().toList()) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("probe.")) {
                answers.put(line.substring("probe.".length(), space), line.substring(space + 1).strip());
            }
        }
        return answers;
    }

    /**
     * A probe that must reach every task it lists, run again while any answer is 000 (no
     * connection at all), for at most 2 minutes. A container just attached to an overlay does not
     * always reach every task at once: in one CI rehearsal a probe on edge got no connection to
     * one gate task for 20 s while edge itself reached both. What these tests check is the answer
     * a connection gets, so they wait for the connection first.
     */
    private Map<String, String> probeEveryTask(String tier, String script) {
        return Cluster.waitForValue("a container on " + tier + " connected to every task", Duration.ofMinutes(2),
                () -> probe(tier, script), answers -> !answers.containsValue("000"));
    }

    private String storageImage() {
        return cluster.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                cluster.serviceName("storage")).orFail("storage image").output().strip();
    }

    /** A RESP command sent to host:port with bash's /dev/tcp; prints the first reply line. */
    private static String resp(String key, String host, int port, String command) {
        return "exec 3<>/dev/tcp/" + host + "/" + port + " && printf '" + command + "' >&3 && "
                + "echo \"probe." + key + " $(timeout 3 head -n1 <&3 | tr -d '\\r')\"; exec 3>&-;";
    }

    /** Whether a name resolves and port 9200 answers HTTP there: the status, or 000. */
    private static String elasticsearch(String key) {
        return "echo \"probe." + key + " $(curl -s -o /dev/null -w '%{http_code}' -m 3 http://elasticsearch:9200/ || true)\";"
                + "echo \"probe." + key + "-dns $(getent hosts elasticsearch >/dev/null && echo resolves || echo none)\";";
    }

    @Test
    void storageRefusesAContainerOnTheAppNetwork() {
        String name = "intruder" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"username\":\"" + name + "\",\"passwordHash\":\"$2a$04$abcdefghijklmnopqrstuv\",\"role\":\"ADMIN\"}";
        Map<String, String> answers = probeEveryTask("app", """
                n=0
                for ip in $(getent ahostsv4 tasks.storage | awk '{print $1}' | sort -u); do
                  n=$((n+1))
                  echo "probe.read$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://$ip:8081/internal/v1/users/admin)"
                  echo "probe.readbody$n $(curl -s -m 5 http://$ip:8081/internal/v1/users/admin | tr -d '\\n')"
                  echo "probe.forged$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Authorization: Bearer guessed' http://$ip:8081/internal/v1/users/admin)"
                  echo "probe.write$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 -X POST -H 'Content-Type: application/json' -d 'BODY' http://$ip:8081/internal/v1/users)"
                  echo "probe.health$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://$ip:9090/health)"
                  echo "probe.metrics$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://$ip:9090/prometheus)"
                  echo "probe.liveness$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://$ip:9090/health/liveness)"
                done
                echo "probe.storages $n"
                """.replace("BODY", body));
        int storages = Integer.parseInt(answers.getOrDefault("storages", "0"));
        assertTrue(storages >= 1, "the app network reaches storage: " + answers);
        for (int i = 1; i <= storages; i++) {
            assertEquals("401", answers.get("read" + i), "read of admin's hash without a credential: " + answers);
            assertFalse(answers.get("readbody" + i).contains("passwordHash"), answers.get("readbody" + i));
            assertEquals("401", answers.get("forged" + i), "a guessed token: " + answers);
            assertEquals("401", answers.get("write" + i), "an ADMIN user forged without a credential: " + answers);
            assertEquals("401", answers.get("health" + i), "health details on the management port: " + answers);
            assertEquals("401", answers.get("metrics" + i), "metrics on the management port: " + answers);
            assertEquals("200", answers.get("liveness" + i), "liveness stays open for swarm's check: " + answers);
        }
        Edge edge = cluster.edge();
        String admin = edge.login("admin", cluster.adminPassword());
        HttpResponse<String> user = edge.send("GET", "/api/v1/users/" + name, admin, null);
        assertEquals(404, user.statusCode(), "the refused write created nothing: " + user.body());
    }

    /** Prometheus reads them with the metrics_password secret; a neighbour on edge or app gets nothing. */
    @Test
    void gateManagementRefusesAContainerOnItsNetworks() {
        for (String tier : List.of("edge", "app")) {
            Map<String, String> answers = probeEveryTask(tier, """
                    n=0
                    for ip in $(getent ahostsv4 tasks.gate | awk '{print $1}' | sort -u); do
                      n=$((n+1))
                      for path in health prometheus health/liveness; do
                        key=$(echo "$path" | tr -d /)
                        echo "probe.$key$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://$ip:9090/$path)"
                      done
                      echo "probe.guessed$n $(curl -s -o /dev/null -w '%{http_code}' -m 5 -u prometheus:guessed http://$ip:9090/prometheus)"
                    done
                    echo "probe.gates $n"
                    """);
            int gates = Integer.parseInt(answers.getOrDefault("gates", "0"));
            assertTrue(gates >= 1, "the " + tier + " network reaches gate: " + answers);
            for (int i = 1; i <= gates; i++) {
                assertEquals("401", answers.get("health" + i), "gate's health details from " + tier + ": " + answers);
                assertEquals("401", answers.get("prometheus" + i), "gate's metrics from " + tier + ": " + answers);
                assertEquals("401", answers.get("guessed" + i), "a guessed metrics password from " + tier + ": " + answers);
                assertEquals("200", answers.get("healthliveness" + i), "liveness stays open for edge's check: " + answers);
            }
        }
    }

    @Test
    void redisRefusesAContainerOnTheAppNetwork() {
        StringBuilder script = new StringBuilder();
        for (String member : List.of("redis1", "redis2")) {
            script.append(resp(member + "-ping", member, 6379, "PING\\r\\n"));
            script.append(resp(member + "-scan", member, 6379, "SCAN 0 MATCH casswarm:* COUNT 1000\\r\\n"));
        }
        Map<String, String> answers = probe("app", script.toString());
        for (String member : List.of("redis1", "redis2")) {
            for (String command : List.of("ping", "scan")) {
                String answer = answers.getOrDefault(member + "-" + command, "");
                assertTrue(answer.startsWith("-NOAUTH") || answer.startsWith("-WRONGPASS"),
                        member + " " + command + " without a password must be refused (Redis authentication), got: "
                                + answer);
            }
        }
    }

    @Test
    void cassandraRefusesACqlLoginWithoutCredentials() {
        String compiled;
        try (var in = io.casswarm.e2e.probe.AnonymousCql.class.getResourceAsStream("AnonymousCql.class")) {
            compiled = Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> answers = probe("data", "mkdir -p /tmp/probe/io/casswarm/e2e/probe && echo " + compiled
                + " | base64 -d > /tmp/probe/io/casswarm/e2e/probe/AnonymousCql.class && "
                + "echo \"probe.cql $(java -Xmx128m -cp /app/app.jar:/tmp/probe io.casswarm.e2e.probe.AnonymousCql cassandra1 2>/dev/null | tail -n1)\"");
        String answer = answers.getOrDefault("cql", "");
        assertTrue(answer.startsWith("cql refused") && answer.contains("AuthenticationException"),
                "an anonymous CQL session must fail to authenticate (PasswordAuthenticator), got: " + answer);
    }

    /** Prometheus reads them with the metrics_password secret; a neighbour on data gets nothing. */
    @Test
    void cassandraMetricsRefuseAContainerOnTheDataNetwork() {
        StringBuilder script = new StringBuilder();
        for (String node : List.of("cassandra1", "cassandra2", "cassandra3")) {
            script.append("echo \"probe.").append(node).append(" $(curl -s -o /dev/null -w '%{http_code}' -m 5 http://")
                    .append(node).append(":9404/metrics)\";");
            script.append("echo \"probe.").append(node).append("-guessed $(curl -s -o /dev/null -w '%{http_code}' -m 5 -u prometheus:guessed http://")
                    .append(node).append(":9404/metrics)\";");
        }
        Map<String, String> answers = probe("data", script.toString());
        for (String node : List.of("cassandra1", "cassandra2", "cassandra3")) {
            assertEquals("401", answers.get(node), node + "'s metrics without a password: " + answers);
            assertEquals("401", answers.get(node + "-guessed"), node + "'s metrics with a guessed password: " + answers);
        }
    }

    @Test
    void elasticsearchIsReachableOnlyFromItsShippersNetworks() {
        for (String tier : List.of("edge", "app")) {
            Map<String, String> answers = probe(tier, elasticsearch("es"));
            assertEquals("none", answers.get("es-dns"), "elasticsearch resolves on " + tier + ": " + answers);
            assertEquals("000", answers.get("es"), "elasticsearch answers on " + tier + ": " + answers);
        }
        // On logs and data it answers anyone: the offline build cannot enforce users (no x-pack).
        // What protects it is that only the shippers, the ring and Kibana join these networks.
        // Recorded, so a change (security on with the upstream image) shows here.
        for (String tier : List.of("logs", "data")) {
            Map<String, String> answers = probe(tier, elasticsearch("es"));
            assertEquals("resolves", answers.get("es-dns"), tier + ": " + answers);
            assertEquals("200", answers.get("es"), "offline Elasticsearch answers without credentials on " + tier
                    + ": " + answers);
        }
    }

    @Test
    void theEdgeNetworkReachesNothingButGate() {
        Map<String, String> answers = probe("edge", """
                for n in tasks.storage redis1 sentinel1 cassandra1 elasticsearch; do
                  echo "probe.$n $(getent hosts $n >/dev/null && echo resolves || echo none)"
                done
                echo "probe.tasks.gate $(getent hosts tasks.gate >/dev/null && echo resolves || echo none)"
                """);
        for (String name : List.of("tasks.storage", "redis1", "sentinel1", "cassandra1", "elasticsearch")) {
            assertEquals("none", answers.get(name), name + " resolves on the edge network: " + answers);
        }
        assertEquals("resolves", answers.get("tasks.gate"), answers.toString());
    }
}
