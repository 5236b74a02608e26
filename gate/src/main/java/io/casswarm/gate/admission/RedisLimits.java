package io.casswarm.gate.admission;

import io.casswarm.gate.redis.RedisConnection;
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

    private final RedisConnection connection;
    private final RateLimitSettings settings;
    private final Clock clock;

    RedisLimits(RedisConnection connection, RateLimitSettings settings) {
        this.connection = connection;
        this.settings = settings;
        this.clock = Clock.systemUTC();
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
        CompletableFuture<Long> count = connection.get().async().incr(key).toCompletableFuture();
        return count.thenCompose(n -> {
            CompletionStage<?> expiry = n == 1
                    ? connection.get().async().pexpire(key, windowMillis * 2)
                    : CompletableFuture.completedFuture(null);
            long retryAfter = ((window + 1) * windowMillis - now + 999) / 1000;
            return expiry.thenApply(ignored -> new Decision(n <= settings.requests(), retryAfter));
        });
    }
}
