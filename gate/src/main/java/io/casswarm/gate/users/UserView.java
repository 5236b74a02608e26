package io.casswarm.gate.users;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * A user as the public API shows it: never with its password hash.
 *
 * @param username  the user's name, also its tenant
 * @param role      ADMIN or USER
 * @param enabled   false once disabled
 * @param createdAt when the user was created
 */
@Introspected
public record UserView(String username, Role role, boolean enabled, @Nullable Instant createdAt) {

    static UserView of(StoredUser user) {
        return new UserView(user.username(), user.role(), user.enabled(), user.createdAt());
    }

    /** A list of users. */
    @Introspected
    public record Listing(List<UserView> items) {
    }
}
