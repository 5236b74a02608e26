package io.casswarm.storage.document;

import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** The write's Idempotency-Key was already used for a different request on this document (draft: 422). */
final class IdempotencyKeyReusedException extends ProblemException {

    IdempotencyKeyReusedException(String id) {
        super(Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, IdempotencyKey.HEADER
                + " was already used for a different request on document '" + id + "'; send a new key"));
    }
}
