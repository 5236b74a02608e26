package io.casswarm.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * Every test class starts from a healthy cluster (every gate's /health UP, both storages seeing
 * three Cassandra nodes), or fails. When no stack is deployed, as before the first class of a run
 * that does not start with ClusterLifecycleTest, it runs {@code infra/cluster up} first: so no
 * class depends on the classes before it, and any one can be run alone.
 *
 * <p>The suite walks one live cluster: when it is broken, each test waiting out its own
 * timeouts would add up to an hour of failures that say nothing new. So the first class that
 * finds it broken fails after a bounded wait, and every class after it fails at once, naming that
 * first one. Registered for every class by autodetection (junit-platform.properties,
 * META-INF/services).
 */
public final class HealthyClusterFirst implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HealthyClusterFirst.class);
    private static final String BROKEN = "broken";
    // Longer than any test's own recovery wait after it has left the cluster healthy.
    private static final Duration WAIT = Duration.ofMinutes(5);
    // A first up on a busy simulated swarm (images pushed, ring formed, schema migrated).
    private static final Duration UP = Duration.ofMinutes(25);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (testClass == ClusterLifecycleTest.class) {
            return; // it takes the cluster down and up itself, wherever it runs
        }
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        String broken = store.get(BROKEN, String.class);
        if (broken != null) {
            throw new AssertionError("not run: " + broken);
        }
        String name = testClass.getSimpleName();
        Cluster cluster = new Cluster();
        try {
            if (!cluster.stackDeployed()) {
                Shell.Result up = cluster.clusterCommand(UP, "up").orFail("infra/cluster up before " + name);
                cluster.report("up before " + name + " (no stack was deployed): " + up.took().toSeconds() + " s");
            }
            Cluster.waitForValue("a healthy cluster before " + name, WAIT, cluster::gatesHealth,
                    Cluster::wholeChainUpFromEveryGate);
        } catch (AssertionError | RuntimeException e) {
            store.put(BROKEN, "the cluster was not healthy before " + name + ": " + e.getMessage());
            throw e;
        }
    }
}
