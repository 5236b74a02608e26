package io.casswarm.storage.schema;

/**
 * The schema could not be brought up to date: a migration failed (now or earlier, leaving the
 * schema half-changed), a released migration was edited, or another replica held the lock for
 * too long. Start-up stops with this message; it says what to do.
 */
public final class MigrationFailedException extends RuntimeException {

    public MigrationFailedException(String message) {
        super(message);
    }

    public MigrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
