package io.casswarm.gate.users;

import io.casswarm.common.contract.Contract;
import io.casswarm.common.user.Role;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What the administrator sends to create a user.
 *
 * @param username the user's name, also its tenant: 1 to 64 letters, digits, '_', '.', '@' or '-',
 *                 starting with a letter or digit ({@link Contract#TENANT})
 * @param password 8 to 128 characters
 * @param role     USER (default) or ADMIN
 */
@Introspected
public record CreateUserCommand(
        @NotNull @Pattern(regexp = Contract.TENANT, message = Contract.TENANT_RULE) String username,
        @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
        @Nullable Role role) {
}
