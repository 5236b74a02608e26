package io.casswarm.storage.document;

/**
 * Result of a lightweight transaction: applied, or not with the version found
 * ({@code null} when the document does not exist).
 */
record CasOutcome(boolean applied, Long currentVersion) {

    static final CasOutcome APPLIED = new CasOutcome(true, null);

    static CasOutcome rejected(Long currentVersion) {
        return new CasOutcome(false, currentVersion);
    }
}
