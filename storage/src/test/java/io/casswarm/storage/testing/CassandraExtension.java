package io.casswarm.storage.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * One real single-node Cassandra (the locally built casswarm/cassandra:5.0 image) for the
 * whole test run: started by the first test class that needs it, kept in JUnit's root store,
 * and stopped when the run ends (no Ryuk here, so the store's close does the cleanup). Its
 * address reaches Micronaut as system properties, read when each test's context starts;
 * register this extension before {@code @MicronautTest}.
 */
public final class CassandraExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        CassandraNode node = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(CassandraNode.class, type -> CassandraNode.start(), CassandraNode.class);
        System.setProperty("casswarm.cassandra.contact-points", node.contactPoint());
        System.setProperty("casswarm.cassandra.local-datacenter", CassandraNode.DATACENTER);
    }

    /** Handle on the running container; closing it stops the container. */
    public static final class CassandraNode implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static final String DATACENTER = "datacenter1";
        static final String IMAGE = "casswarm/cassandra:5.0";

        private final CassandraContainer container;

        private CassandraNode(CassandraContainer container) {
            this.container = container;
        }

        static CassandraNode start() {
            // Fail at once with what to do, instead of Testcontainers trying to pull for minutes.
            try {
                DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            } catch (NotFoundException e) {
                throw new IllegalStateException("Docker image " + IMAGE + " is missing: build it with "
                        + "`infra/images/build --only cassandra` (no registry can be reached here)", e);
            }
            CassandraContainer container = new CassandraContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("cassandra"))
                    .withEnv("MAX_HEAP_SIZE", "512M")
                    .withEnv("HEAP_NEWSIZE", "128M")
                    .withEnv("CASSANDRA_DC", DATACENTER)
                    .withEnv("CASSANDRA_NUM_TOKENS", "1")
                    .withEnv("JVM_EXTRA_OPTS", "-Dcassandra.skip_wait_for_gossip_to_settle=0"
                            + " -Dcassandra.ring_delay_ms=1000 -Dcassandra.initial_token=0")
                    // The image has no cqlsh, which the module's own wait strategy runs.
                    .waitingFor(Wait.forLogMessage(".*Starting listening for CQL clients.*", 1)
                            .withStartupTimeout(Duration.ofMinutes(3)));
            container.start();
            return new CassandraNode(container);
        }

        public String contactPoint() {
            return container.getHost() + ":" + container.getMappedPort(9042);
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
