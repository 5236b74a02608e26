package io.casswarm.common.document;

import io.casswarm.common.problem.Problem;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * Outcome of one item of a bulk create, in request order: {@code status} 201 with the
 * document, or the item's problem (409 exists, 400 invalid, 413 too large, 503 unavailable...).
 */
@Introspected
public record BulkItemResult(int status, @Nullable Document document, @Nullable Problem problem) {
}
