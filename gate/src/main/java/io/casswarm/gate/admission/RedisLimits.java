package io.casswarm.gate.admission;

import io.lettuce.core.RedisException;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The request counters in Redis that every gate shares: requests per user per window (fixed
 * windows, {@code INCR} then {@code EXPIRE} on the first hit). Login attempts are
 * {@link LoginThrottle}'s.
 */
@Singleton
public class RedisLimits {

    private static final String PREFIX = "casswarm:";

    private final BeanProvider<StatefulRedisConnection<String, String>> connection;
    private final RateLimitSettings settings;
    private final Clock clock;

    RedisLimits(BeanProvider<StatefulRedisConnection<String, String>> connection, RateLimitSettings settings) {
        this.connection = connection;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    /**
     * The connection is taken on first use, not at start-up, so a gate starts while Redis is
     * away; until it is back, calls fail with Redis's own exception (a 503).
     */
    private RedisAsyncCommands<String, String> redis() {
        try {
            return connection.get().async();
        } catch (BeanInstantiationException e) {
            if (e.getCause() instanceof RedisException redisDown) {
                throw redisDown;
            }
            throw e;
        }
    }

    /** Outcome of counting one request. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    /** Counts one request of {@code username} and says whether it may go on. */
    public CompletionStage<Decision> countRequest(String username) {
        long windowMillis = Math.max(1, settings.window().toMillis());
        long now = clock.millis();
        long window = now / windowMillis;
        String key = PREFIX + "rate:" + username + ":" + window;
        CompletableFuture<Long> count = redis().incr(key).toCompletableFuture();
        return count.thenCompose(n -> {
            CompletionStage<?> expiry = n == 1
                    ? redis().pexpire(key, windowMillis * 2)
                    : CompletableFuture.completedFuture(null);
            long retryAfter = ((window + 1) * windowMillis - now + 999) / 1000;
            return expiry.thenApply(ignored -> new Decision(n <= settings.requests(), retryAfter));
        });
    }
}
