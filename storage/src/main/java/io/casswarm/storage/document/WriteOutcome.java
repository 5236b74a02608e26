package io.casswarm.storage.document;

import io.micronaut.core.annotation.Nullable;

/**
 * What became of one conditional write.
 * <ul>
 *   <li>{@code APPLIED}: this attempt's lightweight transaction applied it.</li>
 *   <li>{@code RECORDED}: the document already holds the write's idempotency key: an earlier
 *       attempt of the same request landed (its answer was lost, or it was sent twice), or the
 *       key was used for another request; {@code current} tells which by the fingerprint.</li>
 *   <li>{@code REJECTED}: the condition did not hold; {@code current} is the row as a SERIAL
 *       read found it (null when there is no row at all).</li>
 * </ul>
 */
record WriteOutcome(Kind kind, @Nullable StoredDocument current) {

    enum Kind { APPLIED, RECORDED, REJECTED }

    static final WriteOutcome APPLIED = new WriteOutcome(Kind.APPLIED, null);
}
