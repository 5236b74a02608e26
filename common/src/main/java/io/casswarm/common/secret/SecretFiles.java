package io.casswarm.common.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A secret file's content: the whole file, surrounding white space (the newline) dropped. */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** The secret in {@code file}; empty when the file is missing or blank. */
    public static Optional<String> read(Path file) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret file " + file, e);
        }
    }

    /**
     * The secret in {@code file}, which must be there: start-up fails with a message naming the
     * Docker secret to provide and the setting that points elsewhere.
     */
    public static String require(Path file, String secretName, String setting) {
        return read(file).orElseThrow(() -> new IllegalStateException("the secret file " + file
                + " is missing or empty: provide the Docker secret " + secretName + " or set " + setting));
    }
}
