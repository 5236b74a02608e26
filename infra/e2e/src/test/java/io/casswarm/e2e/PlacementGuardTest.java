package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `infra/cluster label` and `up` check the placement file before they change anything: an
 * unknown hostname and a stateful label on two nodes are errors naming the line, and a stateful
 * label moving to another node is refused, with nothing relabelled or redeployed.
 */
@Order(15)
class PlacementGuardTest {

    private final Cluster cluster = new Cluster();

    @Test
    void unknownHostnameIsAnErrorNamingTheLine() throws IOException {
        Path file = placementWith(lines -> lines.replaceFirst("(?m)^(cassandra2\\s+)\\S+", "$1no-such-host"));
        int line = lineOf(file, "no-such-host");
        Shell.Result result = cluster.clusterCommand(Duration.ofMinutes(2), Map.of("CASSWARM_PLACEMENT", file.toString()), "label");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("line " + line + ": no swarm node has hostname 'no-such-host'"), result.output());
    }

    @Test
    void statefulLabelOnTwoNodesIsAnErrorNamingTheLine() throws IOException {
        List<String> nodes = cluster.nodes();
        String two = nodes.get(0) + " " + nodes.get(nodes.size() - 1);
        Path file = placementWith(lines -> lines.replaceFirst("(?m)^(elasticsearch\\s+)\\S+", "$1" + two));
        int line = lineOf(file, "elasticsearch ");
        Shell.Result result = cluster.clusterCommand(Duration.ofMinutes(2), Map.of("CASSWARM_PLACEMENT", file.toString()), "label");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("line " + line + ": label elasticsearch is on 2 nodes"), result.output());
    }

    @Test
    // A label can move only on a swarm of several nodes: the simulated one.
    @EnabledIfEnvironmentVariable(named = "CASSWARM_SIM", matches = ".+")
    void movingAStatefulLabelIsRefusedAndNothingIsRedeployed() throws IOException {
        List<String> nodes = cluster.nodes();
        String from = cluster.nodesWithLabel("cassandra2").get(0);
        String to = nodes.stream().filter(n -> !n.equals(from)).findFirst().orElseThrow();
        Path file = placementWith(lines -> lines.replaceFirst("(?m)^(cassandra2\\s+)\\S+", "$1" + to));
        Map<String, List<String>> labelsBefore = cluster.nodeLabels();
        Map<String, String> versionsBefore = cluster.serviceVersions();
        Set<String> tasksBefore = runningTasks();

        Shell.Result up = cluster.clusterCommand(Duration.ofMinutes(10), Map.of("CASSWARM_PLACEMENT", file.toString()), "up");

        assertNotEquals(0, up.exitCode(), "up refused the move:\n" + up.output());
        assertTrue(up.output().contains("MOVE from " + from + ": REFUSED"), up.output());
        assertTrue(up.output().contains("Nothing was changed or deployed"), up.output());
        assertEquals(labelsBefore, cluster.nodeLabels(), "no node label changed");
        assertEquals(versionsBefore, cluster.serviceVersions(), "no service was updated");
        assertEquals(tasksBefore, runningTasks(), "no task was replaced");
        cluster.report("label move cassandra2 " + from + " → " + to + " without --force: refused by up in "
                + up.took().toSeconds() + " s, nothing changed");
    }

    /** A copy of the placement file in use, changed. */
    private Path placementWith(java.util.function.UnaryOperator<String> change) throws IOException {
        String current = System.getenv().getOrDefault("CASSWARM_PLACEMENT", cluster.root.resolve("infra/placement.conf").toString());
        String text = Files.readString(Path.of(current));
        String changed = change.apply(text);
        assertNotEquals(text, changed, "the test changed the placement file");
        Path file = Files.createTempFile("placement", ".conf");
        Files.writeString(file, changed);
        file.toFile().deleteOnExit();
        return file;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("#") && lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private Set<String> runningTasks() {
        String out = cluster.docker("stack", "ps", Cluster.STACK, "-q", "--filter", "desired-state=running")
                .orFail("docker stack ps").output();
        return new TreeSet<>(out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }
}
