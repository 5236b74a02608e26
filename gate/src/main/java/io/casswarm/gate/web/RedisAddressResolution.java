package io.casswarm.gate.web;

import io.lettuce.core.resource.ClientResources;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.configuration.lettuce.ClientResourcesMutator;
import io.netty.resolver.DefaultAddressResolverGroup;
import jakarta.inject.Singleton;

/**
 * Makes Lettuce resolve Redis's name with the JVM resolver on every reconnect. Its default,
 * Netty's DNS resolver, caches the answer for the TTL Docker's DNS gives (600 s): after Redis
 * restarted in a new container with a new IP, gates kept reconnecting to the old address. The
 * JVM resolver honours networkaddress.cache.ttl (2 s in stack.yml).
 */
@Singleton
final class RedisAddressResolution implements ClientResourcesMutator {

    @Override
    public void mutate(ClientResources.Builder builder, AbstractRedisConfiguration configuration) {
        builder.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE);
    }
}
