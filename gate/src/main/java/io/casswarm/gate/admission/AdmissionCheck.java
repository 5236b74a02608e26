package io.casswarm.gate.admission;

import io.casswarm.gate.redis.RedisConnection;
import io.lettuce.core.ScriptOutputType;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What {@link UserAdmissionFilter} needs from Redis about a request, in one round trip (one
 * script, admission.lua): the request counted against its user's rate limit, shared by every
 * gate (fixed windows, the counter expiring after two), and the user's session generation
 * ({@link UserSessions}).
 */
@Singleton
public class AdmissionCheck {

    private static final String RATE_PREFIX = "casswarm:rate:";

    private final RedisConnection connection;
    private final RateLimitSettings settings;
    private final UserSessions sessions;
    private final Clock clock;
    private final String script;

    AdmissionCheck(RedisConnection connection, RateLimitSettings settings, UserSessions sessions) {
        this.connection = connection;
        this.settings = settings;
        this.sessions = sessions;
        this.clock = Clock.systemUTC();
        this.script = LuaScripts.load("admission.lua");
    }

    /**
     * What Redis says about one request.
     *
     * @param allowed           within the user's request rate limit
     * @param retryAfterSeconds when it is not, the seconds until the next window
     * @param generation        the user's session generation now
     */
    public record Admission(boolean allowed, long retryAfterSeconds, long generation) {
    }

    /** Counts one request of {@code username} and reads its session generation. */
    public CompletionStage<Admission> check(String username) {
        long windowMillis = Math.max(1, settings.window().toMillis());
        long now = clock.millis();
        long window = now / windowMillis;
        String[] keys = {RATE_PREFIX + username + ":" + window, sessions.generationKey(username)};
        long retryAfter = ((window + 1) * windowMillis - now + 999) / 1000;
        return connection.call(redis -> redis
                        .<List<Object>>eval(script, ScriptOutputType.MULTI, keys, String.valueOf(windowMillis * 2)))
                .thenApply(answer -> new Admission((Long) answer.get(0) <= settings.requests(), retryAfter,
                        UserSessions.parseGeneration((String) answer.get(1))));
    }
}
