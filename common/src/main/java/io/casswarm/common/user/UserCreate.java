package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** A user gate asks storage to create; {@code passwordHash} is computed by gate. */
@Introspected
public record UserCreate(@Nullable String username, @Nullable String passwordHash, @Nullable Role role) {
}
