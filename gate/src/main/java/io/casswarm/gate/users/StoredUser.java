package io.casswarm.gate.users;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A user as storage keeps it ({@code /internal/v1/users}). The hash is absent from listings.
 *
 * @param username     the user's name, also its tenant
 * @param passwordHash bcrypt hash computed by gate
 * @param role         ADMIN or USER
 * @param enabled      false once the administrator disabled the user
 * @param createdAt    when the user was created
 */
@Introspected
public record StoredUser(
        String username,
        @Nullable String passwordHash,
        Role role,
        boolean enabled,
        @Nullable Instant createdAt) {
}
