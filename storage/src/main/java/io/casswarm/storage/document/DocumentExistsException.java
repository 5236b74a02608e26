package io.casswarm.storage.document;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** A create named an id that exists: creates never overwrite. */
final class DocumentExistsException extends ProblemException {

    DocumentExistsException(String collection, String id) {
        super(Problem.of(ProblemType.CONFLICT, "document '" + id + "' already exists in collection '"
                + collection + "'").with("id", id));
    }
}
