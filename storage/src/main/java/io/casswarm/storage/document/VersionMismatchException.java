package io.casswarm.storage.document;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** A conditional write named a version that is no longer current; carries the current one. */
final class VersionMismatchException extends ProblemException {

    VersionMismatchException(long expected, long current) {
        super(Problem.of(ProblemType.PRECONDITION_FAILED, "expected version " + expected
                + " but the document is at version " + current).with("currentVersion", current));
    }
}
