package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.metrics.DefaultNodeMetric;
import com.datastax.oss.driver.api.core.metrics.DefaultSessionMetric;
import com.datastax.oss.driver.internal.core.metrics.TaggingMetricIdGenerator;
import com.datastax.oss.driver.internal.core.retry.DefaultRetryPolicy;
import com.datastax.oss.driver.internal.core.specex.ConstantSpeculativeExecutionPolicy;
import com.datastax.oss.driver.internal.metrics.micrometer.MicrometerMetricsFactory;
import io.casswarm.common.secret.SecretFiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds the one {@link CqlSession} of the process from {@link CassandraSettings}. Driver
 * options that are a deliberate choice are set here, in code, where they can be read.
 *
 * <h2>Retry policy: the driver's {@code DefaultRetryPolicy}, chosen on purpose</h2>
 * <ul>
 *   <li>Read timeout: retried once on the same node only when enough replicas answered but the
 *       data replica did not (a cheap, likely-to-succeed retry). Reads are idempotent.</li>
 *   <li>Write timeout: not retried (except a batch log write). Every document write is a
 *       lightweight transaction, marked non-idempotent: a blind retry of a CAS whose first
 *       attempt did land would report a false version conflict. The repository instead
 *       resolves an unknown CAS outcome itself with a SERIAL read of the row's write id.</li>
 *   <li>Unavailable: retried once on the next node (the coordinator's view of the ring may be
 *       stale), then surfaced, and storage answers 503 with Retry-After.</li>
 *   <li>Aborted request / node error: moved to the next node only when the statement is
 *       idempotent.</li>
 * </ul>
 * The consistency-downgrading policy was rejected: it would silently weaken QUORUM, and with
 * it the guarantee that an acknowledged write is read back.
 *
 * <p>Speculative execution (a second node asked after {@code speculativeDelay}) only ever
 * applies to statements marked idempotent, i.e. reads.
 *
 * <h2>Metrics: the driver's Micrometer binding, into the registry /prometheus serves</h2>
 * The driver measures itself ({@code MicrometerMetricsFactory}, module
 * java-driver-metrics-micrometer) into Micronaut's {@link MeterRegistry}. Names are tagged
 * ({@code TaggingMetricIdGenerator}) and prefixed: {@code cassandra.driver.session.*} tagged
 * {@code session}, {@code cassandra.driver.nodes.*} tagged {@code session} and {@code node} (the
 * node's address); a node's series are dropped an hour after it leaves (the driver's
 * {@code expire-after}). Only {@link #SESSION_METRICS} and {@link #NODE_METRICS} are collected;
 * storage sets no request throttler, so the throttling metrics would stay 0 and are left off.
 * storage/README.md ("Metrics") lists the Prometheus names.
 */
@Factory
final class CassandraSessionFactory {

    /**
     * Prepended to every driver metric name ({@code cassandra.driver.session.cql-requests}):
     * the client's view, apart from the Cassandra nodes' own {@code cassandra_*} series.
     */
    static final String METRICS_PREFIX = "cassandra.driver";

    /** What the whole session does: request latency, client timeouts, nodes reached, traffic. */
    static final List<DefaultSessionMetric> SESSION_METRICS = List.of(
            DefaultSessionMetric.CQL_REQUESTS,
            DefaultSessionMetric.CQL_CLIENT_TIMEOUTS,
            DefaultSessionMetric.CONNECTED_NODES,
            DefaultSessionMetric.BYTES_SENT,
            DefaultSessionMetric.BYTES_RECEIVED);

    /**
     * Per node: latency of each message, the errors a node answers (the ones that become 503s
     * and unknown outcomes), retries, connection and login failures, pool use.
     */
    static final List<DefaultNodeMetric> NODE_METRICS = List.of(
            DefaultNodeMetric.CQL_MESSAGES,
            DefaultNodeMetric.UNAVAILABLES,
            DefaultNodeMetric.WRITE_TIMEOUTS,
            DefaultNodeMetric.READ_TIMEOUTS,
            DefaultNodeMetric.OTHER_ERRORS,
            DefaultNodeMetric.RETRIES,
            DefaultNodeMetric.CONNECTION_INIT_ERRORS,
            // A rotated cassandra_storage_password not yet given to storage shows here.
            DefaultNodeMetric.AUTHENTICATION_ERRORS,
            DefaultNodeMetric.OPEN_CONNECTIONS,
            DefaultNodeMetric.IN_FLIGHT);

    @Singleton
    @Bean(preDestroy = "close")
    CqlSession cqlSession(CassandraSettings settings, MeterRegistry meterRegistry) {
        ProgrammaticDriverConfigLoaderBuilder options = DriverConfigLoader.programmaticBuilder()
                // Cassandra 5.0.9 on protocol V5 closed connections after LWT write
                // timeouts (see ENVIRONMENT.md); V4 does not.
                .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency().name())
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, settings.serialConsistency().name())
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                // Nothing is idempotent unless a statement says so.
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, false)
                .withClass(DefaultDriverOption.RETRY_POLICY_CLASS, DefaultRetryPolicy.class)
                .withClass(DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS,
                        ConstantSpeculativeExecutionPolicy.class)
                .withInt(DefaultDriverOption.SPECULATIVE_EXECUTION_MAX, Math.max(1, settings.speculativeMax()))
                .withDuration(DefaultDriverOption.SPECULATIVE_EXECUTION_DELAY, settings.speculativeDelay())
                // Keep trying to reach the ring at start-up: in the swarm, storage may start
                // before Cassandra answers.
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, true)
                // DDL in migrations: wait long enough for the ring to agree.
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
                        Duration.ofSeconds(30))
                // A DDL statement completes only after the driver's schema refresh, which first
                // waits out this window: most of a migration's time on one idle node (the four
                // migrations 13 s at 1 s, 3.4 s at 100 ms). Kept at 1 s in the stack: first starts
                // on the simulated swarm with 100 ms more often met a ring that did not agree on
                // the schema (docs/PERFORMANCE.md, "Schema migrations").
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, settings.schemaRefreshWindow());
        DriverConfigLoader config = withMetrics(options, settings).build();
        var builder = CqlSession.builder()
                .withConfigLoader(config)
                .withMetricRegistry(meterRegistry)
                // PlainTextAuthProvider: the ring runs PasswordAuthenticator; storage's role may
                // touch only its keyspace (storage/README.md, "Cassandra roles").
                .withAuthCredentials(settings.username(), password(settings.passwordFile()))
                .withLocalDatacenter(settings.localDatacenter());
        for (String contactPoint : settings.contactPoints()) {
            builder.addContactPoint(parse(contactPoint.trim()));
        }
        return builder.build();
    }

    private static ProgrammaticDriverConfigLoaderBuilder withMetrics(
            ProgrammaticDriverConfigLoaderBuilder options, CassandraSettings settings) {
        // The latency histograms' buckets reach past the request timeout (no request or message
        // lasts longer), not the driver's default 3 s, under the 5 s timeout.
        Duration highestLatency = settings.requestTimeout().plusSeconds(1);
        return options
                .withClass(DefaultDriverOption.METRICS_FACTORY_CLASS, MicrometerMetricsFactory.class)
                .withClass(DefaultDriverOption.METRICS_ID_GENERATOR_CLASS, TaggingMetricIdGenerator.class)
                .withString(DefaultDriverOption.METRICS_ID_GENERATOR_PREFIX, METRICS_PREFIX)
                .withStringList(DefaultDriverOption.METRICS_SESSION_ENABLED,
                        SESSION_METRICS.stream().map(DefaultSessionMetric::getPath).toList())
                .withStringList(DefaultDriverOption.METRICS_NODE_ENABLED,
                        NODE_METRICS.stream().map(DefaultNodeMetric::getPath).toList())
                .withDuration(DefaultDriverOption.METRICS_SESSION_CQL_REQUESTS_HIGHEST, highestLatency)
                .withDuration(DefaultDriverOption.METRICS_NODE_CQL_MESSAGES_HIGHEST, highestLatency);
    }

    /** Read once at start: a rotated password reaches storage by a restart (docs/SECURITY.md). */
    static String password(Path file) {
        return SecretFiles.require(file, "cassandra_storage_password", "CASSWARM_CASSANDRA_PASSWORD_FILE");
    }

    /**
     * Contact points stay unresolved: the driver resolves them itself, and a swarm service
     * name points at a new container IP after a restart.
     */
    static InetSocketAddress parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            return InetSocketAddress.createUnresolved(hostAndPort, 9042);
        }
        return InetSocketAddress.createUnresolved(
                hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
}
