package io.casswarm.storage.cassandra;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * Where the ring is and how storage uses it. Defaults fit one local Cassandra on 127.0.0.1;
 * the stack overrides them with environment variables
 * (CASSWARM_CASSANDRA_CONTACT_POINTS=cassandra1:9042,cassandra2:9042).
 *
 * @param contactPoints     host:port of the nodes to contact first (names are resolved by the driver)
 * @param localDatacenter   the datacenter the driver treats as local
 * @param keyspace          the keyspace storage owns
 * @param replicationFactor replicas per datacenter when storage creates the keyspace
 */
@ConfigurationProperties("casswarm.cassandra")
public record CassandraSettings(
        @Bindable(defaultValue = "127.0.0.1:9042") List<String> contactPoints,
        @Bindable(defaultValue = "datacenter1") String localDatacenter,
        @Bindable(defaultValue = "casswarm") String keyspace,
        @Bindable(defaultValue = "3") int replicationFactor) {
}
