package io.casswarm.storage.document;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/**
 * An unconditional replace or patch lost the race to other writers of the same document on
 * every attempt. Nothing was written by this request; retrying later is safe.
 */
final class WriteContentionException extends ProblemException {

    WriteContentionException(String id, int attempts) {
        super(Problem.of(ProblemType.UNAVAILABLE, "document '" + id + "' changed under " + attempts
                + " consecutive attempts; nothing was written, retry later").with("retryAfterSeconds", 1));
    }
}
