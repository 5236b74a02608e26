package io.casswarm.gate.users;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Size;

/**
 * What the administrator sends to change a user: at least one member.
 *
 * @param enabled  false disables the user: its sessions end on every gate and it cannot log in;
 *                 true enables it again (its old sessions stay ended)
 * @param password a new password (8 to 128 characters, at most 72 bytes in UTF-8): the user's
 *                 sessions end on every gate
 */
@Introspected
public record UpdateUserCommand(
        @Nullable Boolean enabled,
        @Nullable @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password) {
}
