package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;

/**
 * Builds the one {@link CqlSession} of the process from {@link CassandraSettings}. Driver
 * options that are a deliberate choice are set here, in code, where they can be read.
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
                .build();
        var builder = CqlSession.builder()
                .withConfigLoader(config)
                .withLocalDatacenter(settings.localDatacenter());
        for (String contactPoint : settings.contactPoints()) {
            builder.addContactPoint(parse(contactPoint.trim()));
        }
        return builder.build();
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
