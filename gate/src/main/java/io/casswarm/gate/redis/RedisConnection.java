package io.casswarm.gate.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * gate's one connection to Redis, for the counters and generations it keeps there (sessions
 * go through Micronaut's session store).
 *
 * <p>Made asynchronously, on first use and again on the next use after an attempt failed, so a
 * gate starts while Redis is away (calls fail with Redis's own exception, a 503, until it is
 * back), and no caller ever blocks while it is made. That matters on Lettuce's event loops, where
 * a request goes on once its session has been read: a blocking connect there waits for a channel
 * the same thread has to set up, and never returns. Seen after {@code infra/cluster rotate
 * redis_password}: one gate's every Redis command on that thread timed out until it was restarted.
 * Once made, the connection is Lettuce's to keep: it reconnects by itself, through Sentinel.
 */
@Singleton
public final class RedisConnection {

    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> attempt =
            new AtomicReference<>();

    @Inject
    RedisConnection(RedisClient client, AbstractRedisConfiguration configuration) {
        this(client, configuration.getUri().orElse(configuration));
    }

    RedisConnection(RedisClient client, RedisURI uri) {
        this.client = client;
        this.uri = uri;
    }

    /** Sends a command once the connection is made: never blocks, fails as the returned stage. */
    public <T> CompletionStage<T> call(Function<RedisAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        return connection().thenCompose(made -> command.apply(made.async()));
    }

    /**
     * Waits for {@link #call}, failing with the command's own exception (not a wrapper). Only on
     * a thread that may block: never an event loop.
     */
    public <T> T await(Function<RedisAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        try {
            return call(command).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** The connection being made or made; a new attempt if there is none or the last one failed. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        while (true) {
            CompletableFuture<StatefulRedisConnection<String, String>> current = attempt.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<StatefulRedisConnection<String, String>> next = new CompletableFuture<>();
            if (attempt.compareAndSet(current, next)) {
                client.connectAsync(StringCodec.UTF8, uri).whenComplete((made, failure) -> {
                    if (failure != null) {
                        next.completeExceptionally(failure);
                    } else {
                        next.complete(made);
                    }
                });
                return next;
            }
        }
    }

    @PreDestroy
    void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = attempt.get();
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::closeAsync);
        }
    }
}
