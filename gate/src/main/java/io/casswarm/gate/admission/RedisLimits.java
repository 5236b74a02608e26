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
 * The counters in Redis that every gate shares: requests per user per window (fixed windows,
 * {@code INCR} then {@code EXPIRE} on the first hit), failed logins per user name, and the set of
 * disabled users whose sessions must stop working on every gate at once.
 */
@Singleton
public class RedisLimits {

    private static final String PREFIX = "casswarm:";
    private static final String DISABLED = PREFIX + "disabled-users";

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
    public record Decision(boolean allowed, boolean disabled, long retryAfterSeconds) {
    }

    /** Counts one request of {@code username} and says whether it may go on. */
    public CompletionStage<Decision> countRequest(String username) {
        long windowMillis = Math.max(1, settings.window().toMillis());
        long now = clock.millis();
        long window = now / windowMillis;
        String key = PREFIX + "rate:" + username + ":" + window;
        CompletableFuture<Long> count = redis().incr(key).toCompletableFuture();
        CompletableFuture<Boolean> disabled = redis().sismember(DISABLED, username).toCompletableFuture();
        return count.thenCompose(n -> {
            CompletionStage<?> expiry = n == 1
                    ? redis().pexpire(key, windowMillis * 2)
                    : CompletableFuture.completedFuture(null);
            long retryAfter = ((window + 1) * windowMillis - now + 999) / 1000;
            return expiry.thenCombine(disabled, (ignored, isDisabled) ->
                    new Decision(n <= settings.requests(), Boolean.TRUE.equals(isDisabled), retryAfter));
        });
    }

    /** Seconds until {@code username} may try to log in again; 0 when it may now. */
    public long loginBlockedFor(String username) {
        String key = loginKey(username);
        String failures = join(redis().get(key));
        if (failures == null || Long.parseLong(failures) < settings.loginFailures()) {
            return 0;
        }
        Long ttl = join(redis().ttl(key));
        return ttl == null || ttl < 1 ? 1 : ttl;
    }

    public void loginFailed(String username) {
        String key = loginKey(username);
        Long n = join(redis().incr(key));
        if (n != null && n == 1) {
            join(redis().expire(key, Math.max(1, settings.loginWindow().toSeconds())));
        }
    }

    public void loginSucceeded(String username) {
        join(redis().del(loginKey(username)));
    }

    public void markDisabled(String username, boolean disabled) {
        join(disabled ? redis().sadd(DISABLED, username) : redis().srem(DISABLED, username));
    }

    private static String loginKey(String username) {
        return PREFIX + "login-failures:" + username;
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
