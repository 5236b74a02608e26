package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** A user without its password hash: what listings and updates return. */
@Introspected
public record UserSummary(String username, Role role, boolean enabled, Instant createdAt) {
}
