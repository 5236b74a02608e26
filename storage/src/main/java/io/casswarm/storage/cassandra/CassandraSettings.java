package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the ring is and how storage uses it. Defaults fit one local Cassandra on 127.0.0.1;
 * the stack overrides them with environment variables
 * (CASSWARM_CASSANDRA_CONTACT_POINTS=cassandra1:9042,cassandra2:9042).
 *
 * @param contactPoints       host:port of the nodes to contact first (names are resolved by the driver)
 * @param localDatacenter     the datacenter the driver treats as local
 * @param keyspace            the keyspace storage owns
 * @param replicationFactor   replicas per datacenter when storage creates the keyspace
 * @param consistency         consistency of every read and write (and of the commit of an LWT)
 * @param serialConsistency   consistency of the Paxos phase of lightweight transactions
 * @param requestTimeout      how long one request may take, retries and speculative executions included
 * @param speculativeDelay    delay before a second node is asked the same idempotent read
 * @param speculativeMax      executions of one idempotent read at most (1 = no speculation)
 * @param username            the Cassandra role storage logs in as (CASSWARM_CASSANDRA_USERNAME)
 * @param passwordFile        file holding that role's password, trailing newline ignored
 *                            (CASSWARM_CASSANDRA_PASSWORD_FILE; the Docker secret
 *                            cassandra_storage_password in the stack)
 * @param schemaRefreshWindow how long the driver gathers schema changes before it refreshes its
 *                            schema metadata; each DDL statement of a migration waits it out.
 *                            The driver's default (1 s) in the stack; the tests' one-node ring
 *                            uses 100 ms (application-test.yml)
 */
@ConfigurationProperties("casswarm.cassandra")
public record CassandraSettings(
        @Bindable(defaultValue = "127.0.0.1:9042") List<String> contactPoints,
        @Bindable(defaultValue = "datacenter1") String localDatacenter,
        @Bindable(defaultValue = "casswarm") String keyspace,
        @Bindable(defaultValue = "3") int replicationFactor,
        @Bindable(defaultValue = "LOCAL_QUORUM") DefaultConsistencyLevel consistency,
        @Bindable(defaultValue = "LOCAL_SERIAL") DefaultConsistencyLevel serialConsistency,
        @Bindable(defaultValue = "5s") Duration requestTimeout,
        @Bindable(defaultValue = "150ms") Duration speculativeDelay,
        @Bindable(defaultValue = "2") int speculativeMax,
        @Bindable(defaultValue = "storage") String username,
        @Bindable(defaultValue = "/run/secrets/cassandra_storage_password") Path passwordFile,
        @Bindable(defaultValue = "1s") Duration schemaRefreshWindow) {

    public CassandraSettings {
        if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("casswarm.cassandra.keyspace must match [a-z][a-z0-9_]{0,47}: " + keyspace);
        }
        if (username.isBlank()) {
            throw new IllegalArgumentException("casswarm.cassandra.username must not be empty (Cassandra requires a role)");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("casswarm.cassandra.replication-factor must be at least 1");
        }
    }
}
