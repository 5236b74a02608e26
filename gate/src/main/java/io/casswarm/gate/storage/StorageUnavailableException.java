package io.casswarm.gate.storage;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** No storage instance answered usefully within the attempts allowed: a 503 with Retry-After. */
public final class StorageUnavailableException extends ProblemException {

    public StorageUnavailableException(String detail) {
        super(Problem.of(ProblemType.UNAVAILABLE, detail).retryAfter(Problem.DEFAULT_RETRY_AFTER_SECONDS));
    }
}
