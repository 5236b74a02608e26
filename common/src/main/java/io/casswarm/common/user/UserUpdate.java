package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** A change to a user: for now only enabling or disabling it. */
@Introspected
public record UserUpdate(@Nullable Boolean enabled) {
}
