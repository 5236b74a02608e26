package io.casswarm.gate.auth;

import io.micronaut.core.annotation.Introspected;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A login.
 *
 * @param username the user name
 * @param password the password
 */
@Introspected
public record LoginCommand(
        @NotNull @Size(max = 64) String username,
        @NotNull @Size(max = 256) String password) {
}
