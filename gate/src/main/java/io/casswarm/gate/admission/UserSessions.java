package io.casswarm.gate.admission;

import io.casswarm.gate.redis.RedisConnection;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;

/**
 * Ends every session of a user at once, on every gate, with a session generation per user in
 * Redis: a login records the user's current generation in its session; disabling the user or
 * changing its password increments it; a request whose session holds an older generation is
 * refused and the session ended ({@link UserAdmissionFilter}). Enabling the user again
 * does not bring old sessions back: their generation stays old. Read on every request with the
 * rate-limit counter in one script ({@link AdmissionCheck}); no index of session ids to keep in
 * step with Redis's own session expiry. Also checks the absolute lifetime of a session.
 */
@Singleton
public class UserSessions {

    /** Authentication attributes written at login. */
    static final String GENERATION = "sessionGeneration";
    static final String LOGGED_IN_AT = "loggedInAt";

    private static final String PREFIX = "casswarm:session-generation:";

    private final RedisConnection connection;
    private final SessionLifetime lifetime;
    private final Clock clock = Clock.systemUTC();

    UserSessions(RedisConnection connection, SessionLifetime lifetime) {
        this.connection = connection;
        this.lifetime = lifetime;
    }

    /** The user's generation now; read at login before the user is looked up in storage. */
    public long generation(String username) {
        return parseGeneration(connection.await(redis -> redis.get(generationKey(username))));
    }

    /** The key of the user's generation (read on every request by {@link AdmissionCheck}). */
    String generationKey(String username) {
        return PREFIX + username;
    }

    /** A generation as Redis keeps it; none yet is 0. */
    static long parseGeneration(String stored) {
        return stored == null ? 0L : Long.parseLong(stored);
    }

    /**
     * Ends every session the user has, on every gate. Called after storage has the change (the
     * user disabled, the new password), so that a login racing with it either reads the user as
     * it now is, or records the generation from before and is refused at its next request.
     */
    public void endAll(String username) {
        connection.await(redis -> redis.incr(generationKey(username)));
    }

    /** Attributes a login's authentication carries: the generation and the time of the login. */
    public Map<String, Object> loginAttributes(long generation) {
        return Map.of(GENERATION, generation, LOGGED_IN_AT, clock.millis());
    }

    /** Whether a session is still good, given the user's current generation. */
    public boolean isCurrent(Authentication authentication, long currentGeneration) {
        Map<String, Object> attributes = authentication.getAttributes();
        Long generation = number(attributes.get(GENERATION));
        Long loggedInAt = number(attributes.get(LOGGED_IN_AT));
        return generation != null && loggedInAt != null
                && generation == currentGeneration
                && clock.millis() - loggedInAt < lifetime.absolute().toMillis();
    }

    /** Seconds a session lives at most. */
    public long absoluteLifetimeSeconds() {
        return lifetime.absolute().toSeconds();
    }

    private static Long number(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof CharSequence text) {
            try {
                return Long.parseLong(text.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
