package io.casswarm.gate.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Options of gate's Redis client ({@link RedisSettings}): every command has a timeout, so while
 * Redis is away a request fails with 503 instead of hanging; connections to a machine that
 * vanished are noticed within seconds (TCP_USER_TIMEOUT, keepalive), after which Lettuce
 * reconnects, asking Sentinel for the current primary first when {@code redis.uri} names Sentinels.
 */
@Singleton
final class RedisClientOptions implements BeanCreatedEventListener<RedisClient> {

    private final RedisSettings settings;

    RedisClientOptions(RedisSettings settings) {
        this.settings = settings;
    }

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(settings.deadPeerTimeout())
                                .interval(settings.deadPeerTimeout().dividedBy(4))
                                .count(3)
                                .build())
                        // Needs the epoll transport (netty-transport-native-epoll in gate's pom).
                        .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                                .enable()
                                .tcpUserTimeout(settings.deadPeerTimeout())
                                .build())
                        .build())
                .build());
        return client;
    }
}
