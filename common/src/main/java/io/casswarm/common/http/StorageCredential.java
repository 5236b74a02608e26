package io.casswarm.common.http;


import io.casswarm.common.secret.SecretFiles;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The credential gate presents to storage: {@code Authorization: Bearer <token>}, the token read
 * from a file ({@link StorageCredentialSettings}). storage compares every presented token with the
 * current one and, during a rotation, the previous one, in constant time. gate presents the
 * current one and, when refused, the previous one: during a rotation a gate may start before any
 * storage task has restarted with the new token. gate reads the files once at start and again
 * when storage refuses both (a rotated secret).
 */
@Singleton
public final class StorageCredential {

    /** The header carrying the credential. */
    public static final String HEADER = "Authorization";

    /** The scheme of its value. */
    public static final String SCHEME = "Bearer";

    /**
     * The token both sides use when no file is configured (one machine, tests). Public on
     * purpose: it protects nothing, which is why the stack always sets a file.
     */
    public static final String DEVELOPMENT_TOKEN = "casswarm-development-storage-token";

    private static final Logger LOG = LoggerFactory.getLogger(StorageCredential.class);

    private final StorageCredentialSettings settings;
    private volatile Tokens tokens;

    public StorageCredential(StorageCredentialSettings settings) {
        this.settings = settings;
        this.tokens = read();
        if (settings.tokenFile() == null) {
            LOG.warn("No storage credential file set (casswarm.storage-credential.token-file): "
                    + "using the development token, which protects nothing");
        }
    }

    /** The header value gate sends first. */
    public String headerValue() {
        return tokens.headerValues().get(0);
    }

    /** The header values gate may send, in order: the current token, then a different previous one. */
    public List<String> headerValues() {
        return tokens.headerValues();
    }

    /** Reads the token files again (after a 401: the secret may have been rotated). */
    public void reload() {
        tokens = read();
        LOG.info("Storage credential read again from {}", settings.tokenFile());
    }

    /** Whether an {@code Authorization} header value carries an accepted token. */
    public boolean accepts(@Nullable String headerValue) {
        if (headerValue == null || !headerValue.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return false;
        }
        byte[] presented = headerValue.substring(SCHEME.length() + 1).trim().getBytes(StandardCharsets.UTF_8);
        boolean accepted = false;
        // Every accepted token is compared, each in constant time (MessageDigest.isEqual), so the
        // answer's timing says nothing about which token or how much of one matched.
        for (byte[] token : tokens.accepted()) {
            accepted |= MessageDigest.isEqual(token, presented);
        }
        return accepted;
    }

    private Tokens read() {
        String current = settings.tokenFile() == null ? DEVELOPMENT_TOKEN
                : SecretFiles.read(settings.tokenFile()).orElseThrow(() -> new IllegalStateException(
                        "The storage credential file " + settings.tokenFile() + " is missing or empty"));
        Optional<String> previous = settings.previousTokenFile() == null ? Optional.empty()
                : SecretFiles.read(settings.previousTokenFile());
        List<String> read = previous.filter(p -> !p.equals(current))
                .map(p -> List.of(current, p))
                .orElseGet(() -> List.of(current));
        // Both forms made once per read, not per request: gate sends on every call to storage.
        return new Tokens(read.stream().map(token -> SCHEME + " " + token).toList(),
                read.stream().map(token -> token.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** The header values gate presents, and the tokens storage accepts, current first. */
    private record Tokens(List<String> headerValues, List<byte[]> accepted) {
    }
}
