package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports the Cassandra session and the ring as the driver sees it: UP while the session is
 * open and a quorum of the known nodes is up (what QUORUM reads and writes need). The details
 * list every node (address, host id, state, datacenter, rack): `infra/cluster status` and `up`
 * read the ring from here, from any swarm manager, without running nodetool on a node.
 */
@Singleton
final class CassandraRingHealthIndicator implements HealthIndicator {

    private static final String NAME = "cassandra";

    private final BeanProvider<CqlSession> session;
    private final CassandraSettings settings;

    CassandraRingHealthIndicator(BeanProvider<CqlSession> session, CassandraSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check);
    }

    private static Map<String, Object> describe(Node node) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("address", node.getBroadcastRpcAddress()
                .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort())
                .orElse(node.getEndPoint().toString()));
        entry.put("hostId", String.valueOf(node.getHostId()));
        entry.put("state", node.getState().name());
        entry.put("datacenter", node.getDatacenter());
        entry.put("rack", node.getRack());
        return entry;
    }

    private HealthResult check() {
        try {
            CqlSession cql = session.get();
            Collection<Node> nodes = cql.getMetadata().getNodes().values();
            long up = nodes.stream().filter(node -> node.getState() == NodeState.UP).count();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("session", cql.isClosed() ? "closed" : "open");
            details.put("nodesUp", up);
            details.put("nodesKnown", nodes.size());
            details.put("keyspace", settings.keyspace());
            details.put("nodes", nodes.stream().map(CassandraRingHealthIndicator::describe).toList());
            boolean quorumUp = !cql.isClosed() && up > nodes.size() / 2;
            return HealthResult.builder(NAME, quorumUp ? HealthStatus.UP : HealthStatus.DOWN)
                    .details(details).build();
        } catch (RuntimeException e) {
            return HealthResult.builder(NAME, HealthStatus.DOWN).exception(e).build();
        }
    }
}
