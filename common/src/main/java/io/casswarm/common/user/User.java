package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** A stored user with its password hash, as gate reads it to check a login. */
@Introspected
public record User(String username, String passwordHash, Role role, boolean enabled, Instant createdAt) {

    public UserSummary summary() {
        return new UserSummary(username, role, enabled, createdAt);
    }
}
