package io.casswarm.bench;

/** The operations of the mixed workload, the same on every path. */
public enum Operation {
    /** Read of one document by id. */
    READ,
    /** JSON merge patch of one document (storage reads it, merges, writes conditionally). */
    PATCH,
    /** Create of a new document. */
    CREATE;

    /** The name used in {@code --mix}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
