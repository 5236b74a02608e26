package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * A change to a user: enable or disable it, and/or replace its password hash (gate rotates the
 * administrator's when the admin_password secret changes). Absent members stay as they are.
 */
@Introspected
public record UserUpdate(@Nullable Boolean enabled, @Nullable String passwordHash) {

    public static UserUpdate ofEnabled(boolean enabled) {
        return new UserUpdate(enabled, null);
    }

    public static UserUpdate ofPasswordHash(String passwordHash) {
        return new UserUpdate(null, passwordHash);
    }
}
