package io.casswarm.gate.auth;

import io.casswarm.common.user.User;
import io.casswarm.common.contract.Contract;
import io.casswarm.gate.admission.UserSessions;
import io.casswarm.gate.storage.StorageUserClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationResponse;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a user name and password against the user storage keeps, called by {@link SessionService}
 * directly rather than through Micronaut Security's {@code Authenticator}, which would turn every
 * exception into a failed login. Checks (a storage call, then a bcrypt
 * verification on {@link PasswordHasher}'s own executor). Unknown users cost the same bcrypt time as known
 * ones, so timing does not tell which names exist.
 */
@Singleton
final class PasswordCheck {

    /** Authentication attribute naming the tenant whose documents the user sees. */
    static final String TENANT = "tenant";

    private final StorageUserClient users;
    private final PasswordHasher hasher;
    private final UserSessions sessions;

    PasswordCheck(StorageUserClient users, PasswordHasher hasher, UserSessions sessions) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
    }

    /**
     * A success or a failure (wrong password, no such user, disabled); storage or the bcrypt
     * executor being unavailable is an exception (503), not a failure, so that such an attempt
     * is given back to the login throttle rather than counted as a wrong guess.
     */
    AuthenticationResponse check(String username, @Nullable String password) {
        if (!Contract.isTenant(username) || password == null) {
            hasher.spendVerificationTime(password == null ? "" : password);
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_NOT_FOUND);
        }
        // Read before the user: a disable or password change landing meanwhile then either shows
        // in the user read below or has moved the generation past this one (UserSessions).
        long generation = sessions.generation(username);
        Optional<User> user = users.find(username);
        if (user.isEmpty()) {
            hasher.spendVerificationTime(password);
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_NOT_FOUND);
        }
        if (!hasher.matches(password, user.get().passwordHash())) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        if (!user.get().enabled()) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_DISABLED);
        }
        Map<String, Object> attributes = new HashMap<>(sessions.loginAttributes(generation));
        attributes.put(TENANT, username);
        return AuthenticationResponse.success(username, List.of(user.get().role().name()), attributes);
    }
}
