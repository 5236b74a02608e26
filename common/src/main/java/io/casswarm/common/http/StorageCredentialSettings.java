package io.casswarm.common.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;

/**
 * Where the storage credential is read from, in gate (which sends it) and storage (which checks
 * it). On the swarm both are Docker secrets ({@code /run/secrets/storage_token} and, during a
 * rotation, {@code /run/secrets/storage_token_previous}), named by
 * {@code CASSWARM_STORAGE_CREDENTIAL_TOKEN_FILE} and {@code ..._PREVIOUS_TOKEN_FILE}.
 *
 * <p>Without a token file both sides use {@link StorageCredential#DEVELOPMENT_TOKEN} (and say so
 * in their log), so a gate and a storage started on one machine, and the tests, agree without
 * set-up; the stack always names the file.
 *
 * @param tokenFile         the token gate sends and storage accepts; null: the development token
 * @param previousTokenFile a second token storage also accepts while a rotation rolls out
 *                          (gate tasks not yet restarted still send it); null or an empty file: none
 * @param enforce           whether this process checks the credential on every request it
 *                          serves (storage's application.yml sets it; gate only sends it)
 */
@ConfigurationProperties("casswarm.storage-credential")
public record StorageCredentialSettings(
        @Nullable Path tokenFile,
        @Nullable Path previousTokenFile,
        @Bindable(defaultValue = "false") boolean enforce) {
}
