package io.casswarm.gate.management;

import io.casswarm.common.secret.SecretFiles;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks an {@code Authorization} header against the management credential
 * ({@link ManagementCredentialSettings}). The password file is read on each check, so a rotated
 * {@code metrics_password} applies as soon as the task runs with the new secret; a check is a
 * scrape every 15 s, not a request path.
 */
@Singleton
public final class ManagementCredential {

    /** The scheme Prometheus's basic_auth sends. */
    static final String SCHEME = "Basic";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementCredential.class);

    private final ManagementCredentialSettings settings;

    ManagementCredential(ManagementCredentialSettings settings) {
        this.settings = settings;
        if (settings.passwordFile() == null) {
            LOG.warn("No management password file set (casswarm.management.password-file): health details and "
                    + "metrics are open to anyone who reaches the management port");
        }
    }

    /** Whether any credential is asked at all (a password file is set). */
    boolean required() {
        return settings.passwordFile() != null;
    }

    /** Whether the header value carries the user name and the current password. */
    boolean accepts(@Nullable String headerValue) {
        if (headerValue == null || !headerValue.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return false;
        }
        String password = SecretFiles.require(settings.passwordFile(), "metrics_password",
                "casswarm.management.password-file");
        byte[] expected = Base64.getEncoder().encode(
                (settings.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
        byte[] presented = headerValue.substring(SCHEME.length() + 1).trim().getBytes(StandardCharsets.US_ASCII);
        // Constant time: the answer's timing says nothing about how much of a guess matched.
        return MessageDigest.isEqual(expected, presented);
    }
}
