package io.casswarm.gate.users;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the administrator's password comes from: a file (the Docker secret), never a value in
 * the configuration.
 *
 * @param passwordFile file whose content (trailing newline removed) is the admin password
 * @param retryEvery   how often bootstrap tries again while storage is not reachable
 */
@ConfigurationProperties("casswarm.admin")
public record AdminSettings(
        @Bindable(defaultValue = "/run/secrets/admin_password") Path passwordFile,
        @Bindable(defaultValue = "5s") Duration retryEvery) {
}
