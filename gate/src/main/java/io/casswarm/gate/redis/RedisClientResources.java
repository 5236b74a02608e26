package io.casswarm.gate.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.configuration.lettuce.ClientResourcesMutator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.resolver.DefaultAddressResolverGroup;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's shared resources, three changes to its defaults:
 * <ul>
 *   <li>Names are resolved with the JVM resolver on every (re)connect. Netty's own DNS resolver
 *       caches an answer for the TTL Docker's DNS gives (600 s): after Redis restarted in a new
 *       container with a new IP, gates kept reconnecting to the old address. The JVM resolver
 *       honours networkaddress.cache.ttl (2 s, set in GateApplication).</li>
 *   <li>Reconnection attempts are at most {@link RedisSettings#reconnectDelayMax()} apart.</li>
 *   <li>An I/O error on a Redis connection ("Connection reset by peer": Redis died with gate's
 *       commands unread) reaches the command waiting for it as a {@link RedisConnectionException},
 *       not as the raw {@link IOException}. Micronaut takes an unhandled IOException for the HTTP
 *       client having gone away and answers {@code 400 "Stream closed"}; a RedisException is a 503
 *       ({@link RedisFailureHandler}).</li>
 * </ul>
 */
@Singleton
final class RedisClientResources implements ClientResourcesMutator {

    private final RedisSettings settings;

    RedisClientResources(RedisSettings settings) {
        this.settings = settings;
    }

    @Override
    public void mutate(ClientResources.Builder builder, AbstractRedisConfiguration configuration) {
        builder.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE);
        builder.reconnectDelay(Delay.exponential(Duration.ofMillis(50), settings.reconnectDelayMax(), 2,
                TimeUnit.MILLISECONDS));
        builder.nettyCustomizer(new NettyCustomizer() {
            @Override
            public void afterChannelInitialized(Channel channel) {
                channel.pipeline().addFirst("casswarm-redis-io-failures", new IoFailureAsRedisException());
            }
        });
    }

    /** First in the pipeline, so it sees a socket's errors before Lettuce's command handler does. */
    private static final class IoFailureAsRedisException extends ChannelInboundHandlerAdapter {

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                ctx.fireExceptionCaught(new RedisConnectionException(
                        "connection to Redis at " + ctx.channel().remoteAddress() + " failed: " + cause.getMessage(), cause));
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
