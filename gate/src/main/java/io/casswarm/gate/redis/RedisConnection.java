package io.casswarm.gate.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.exceptions.BeanInstantiationException;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * gate's one connection to Redis, for the counters and generations it keeps there (sessions
 * go through Micronaut's session store). Taken on first use, not at start-up, so a gate starts
 * while Redis is away; until it is back, calls fail with Redis's own exception (a 503).
 */
@Singleton
public final class RedisConnection {

    private final BeanProvider<StatefulRedisConnection<String, String>> connection;

    RedisConnection(BeanProvider<StatefulRedisConnection<String, String>> connection) {
        this.connection = connection;
    }

    public StatefulRedisConnection<String, String> get() {
        try {
            return connection.get();
        } catch (BeanInstantiationException e) {
            if (e.getCause() instanceof RedisException redisDown) {
                throw redisDown;
            }
            throw e;
        }
    }

    /** Waits for a Redis command, failing with the command's own exception (not a wrapper). */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
