package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.internal.core.retry.DefaultRetryPolicy;
import com.datastax.oss.driver.internal.core.specex.ConstantSpeculativeExecutionPolicy;
import io.casswarm.common.secret.SecretFiles;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.nio.file.Path;

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
 */
@Factory
final class CassandraSessionFactory {

    @Singleton
    @Bean(preDestroy = "close")
    CqlSession cqlSession(CassandraSettings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
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
                        java.time.Duration.ofSeconds(30))
                .build();
        var builder = CqlSession.builder()
                .withConfigLoader(config)
                // PlainTextAuthProvider: the ring runs PasswordAuthenticator; storage's role may
                // touch only its keyspace (storage/README.md, "Cassandra roles").
                .withAuthCredentials(settings.username(), password(settings.passwordFile()))
                .withLocalDatacenter(settings.localDatacenter());
        for (String contactPoint : settings.contactPoints()) {
            builder.addContactPoint(parse(contactPoint.trim()));
        }
        return builder.build();
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
