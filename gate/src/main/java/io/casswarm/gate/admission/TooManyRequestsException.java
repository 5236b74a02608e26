package io.casswarm.gate.admission;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** A limit was reached: 429 with the seconds to wait in Retry-After. */
public final class TooManyRequestsException extends ProblemException {

    public TooManyRequestsException(String detail, long retryAfterSeconds) {
        super(Problem.of(ProblemType.TOO_MANY_REQUESTS, detail).retryAfter(retryAfterSeconds));
    }
}
