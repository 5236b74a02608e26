package io.casswarm.gate.web;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Every Redis command gets a timeout: while Redis is away (restarting), a command waits for the
 * reconnection at most this long, then the request fails with 503 instead of hanging.
 */
@Singleton
final class RedisClientOptions implements BeanCreatedEventListener<RedisClient> {

    private final Duration commandTimeout;

    RedisClientOptions(@Value("${casswarm.redis.command-timeout:3s}") Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        return client;
    }
}
