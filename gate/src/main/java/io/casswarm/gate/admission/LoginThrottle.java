package io.casswarm.gate.admission;

import io.casswarm.gate.redis.RedisConnection;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import jakarta.inject.Singleton;


/**
 * Login attempts, counted in Redis before a password is checked: {@link #reserve} takes one
 * attempt from three counters at once (user name + client address, client address, user name)
 * in one Lua script, so parallel attempts cannot all pass a check made before any of them is
 * counted; it refuses (429) while any counter makes attempts wait. The caller gives the attempt
 * back with {@link #succeeded} or {@link #notChecked}; a wrong password keeps it.
 * <p>
 * Hand-written rather than Bucket4j (com.bucket4j:bucket4j_jdk17-lettuce resolves here): a token
 * bucket refills at a fixed rate, so it has no wait that doubles with every further failure, and
 * "forget this pair's failures on success" is not one of its operations. See docs/GATE.md.
 */
@Singleton
public class LoginThrottle {

    private static final String PREFIX = "casswarm:login:";

    private final RedisConnection connection;
    private final LoginThrottleSettings settings;
    private final HttpClientAddressResolver addresses;
    private final String reserveScript;
    private final String releaseScript;

    LoginThrottle(RedisConnection connection, LoginThrottleSettings settings,
                  HttpClientAddressResolver addresses) {
        this.connection = connection;
        this.settings = settings;
        this.addresses = addresses;
        this.reserveScript = LuaScripts.load("login-reserve.lua");
        this.releaseScript = LuaScripts.load("login-release.lua");
    }

    /** Who is trying: the user name as sent and the client address edge saw. */
    public record Attempt(String username, String address) {

        String[] keys() {
            return new String[]{PREFIX + "pair:" + username + "|" + address,
                    PREFIX + "address:" + address,
                    PREFIX + "user:" + username};
        }
    }

    /**
     * The attempt of this request: its client address is X-Forwarded-For as edge sets it
     * ({@code micronaut.server.client-address-header}), else the connection's peer.
     */
    public Attempt attempt(String username, HttpRequest<?> request) {
        String address = addresses.resolve(request);
        return new Attempt(username, address == null || address.isBlank() ? "unknown" : address.strip());
    }

    /**
     * Counts one attempt before its password is checked.
     *
     * @throws TooManyRequestsException when it must wait, with the seconds to wait
     */
    public void reserve(Attempt attempt) {
        String[] args = {
                String.valueOf(settings.firstDelay().toMillis()),
                String.valueOf(settings.forgetAfter().toMillis()),
                String.valueOf(settings.perUserAndAddress()), String.valueOf(settings.maxDelay().toMillis()),
                String.valueOf(settings.perAddress()), String.valueOf(settings.maxDelay().toMillis()),
                String.valueOf(settings.perUser()), String.valueOf(settings.perUserMaxDelay().toMillis())};
        Long waitMillis = run(reserveScript, attempt.keys(), args);
        if (waitMillis != null && waitMillis > 0) {
            throw new TooManyRequestsException("too many failed logins; wait before trying again",
                    (waitMillis + 999) / 1000);
        }
    }

    /** The password was right: this user name and address start afresh. */
    public void succeeded(Attempt attempt) {
        run(releaseScript, attempt.keys(), new String[]{"pair"});
    }

    /** The password was never checked (storage or the password executor unavailable). */
    public void notChecked(Attempt attempt) {
        run(releaseScript, attempt.keys(), new String[]{"all"});
    }

    private Long run(String script, String[] keys, String[] args) {
        return connection.await(redis -> redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, args));
    }
}
