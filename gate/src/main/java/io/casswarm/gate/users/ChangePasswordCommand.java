package io.casswarm.gate.users;

import io.micronaut.core.annotation.Introspected;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What a user sends to change its own password.
 *
 * @param currentPassword the password it has now (checked, and counted like a login attempt)
 * @param newPassword     8 to 128 characters, at most 72 bytes in UTF-8
 */
@Introspected
public record ChangePasswordCommand(
        @NotNull @Size(max = 256) String currentPassword,
        @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String newPassword) {
}
