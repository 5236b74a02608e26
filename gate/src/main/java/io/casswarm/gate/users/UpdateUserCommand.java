package io.casswarm.gate.users;

import io.micronaut.core.annotation.Introspected;
import jakarta.validation.constraints.NotNull;

/**
 * What the administrator sends to disable (or enable again) a user.
 *
 * @param enabled false disables the user: its sessions stop working and it cannot log in
 */
@Introspected
public record UpdateUserCommand(@NotNull Boolean enabled) {
}
