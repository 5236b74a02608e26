package io.casswarm.gate.management;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;

/**
 * The credential gate's health details and metrics ask for: HTTP basic authentication as
 * {@code username} with the password in {@code passwordFile}. On the swarm that file is the
 * Docker secret {@code metrics_password}, the one Prometheus also presents to the Cassandra
 * nodes' exporters ({@code CASSWARM_MANAGEMENT_PASSWORD_FILE}).
 *
 * <p>Without a file (one machine, tests) the management endpoints are open, and gate says so in
 * its log at start; the stack always names the file.
 *
 * @param username     the user name Prometheus sends (its scrape config's basic_auth)
 * @param passwordFile the password's file; null: no credential asked
 */
@ConfigurationProperties("casswarm.management")
public record ManagementCredentialSettings(
        @Bindable(defaultValue = "prometheus") String username,
        @Nullable Path passwordFile) {
}
