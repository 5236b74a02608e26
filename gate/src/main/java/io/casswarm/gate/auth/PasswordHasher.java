package io.casswarm.gate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt (at.favre.lib:bcrypt). Passwords longer than bcrypt's 72 bytes are refused at creation
 * (the library would reject them rather than truncate silently).
 */
@Singleton
public class PasswordHasher {

    /** Verified against when a user does not exist, so that such a login costs the same time. */
    private final String decoy;
    private final int cost;

    PasswordHasher(@Value("${casswarm.auth.bcrypt-cost:10}") int cost) {
        this.cost = cost;
        this.decoy = hash("not a real password, only spends time");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (hash == null || password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        try {
            return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of one verification without any user; see {@link #decoy}. */
    public void spendVerificationTime(String password) {
        matches(password, decoy);
    }

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= 72;
    }
}
