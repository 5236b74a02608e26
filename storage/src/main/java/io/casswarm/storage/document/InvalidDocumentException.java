package io.casswarm.storage.document;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** Input breaking a rule or a limit (400), or a body over the size limit (413). */
final class InvalidDocumentException extends ProblemException {

    private InvalidDocumentException(ProblemType type, String detail) {
        super(type, detail);
    }

    static InvalidDocumentException invalid(String detail) {
        return new InvalidDocumentException(ProblemType.VALIDATION, detail);
    }

    static InvalidDocumentException tooLarge(String detail) {
        return new InvalidDocumentException(ProblemType.PAYLOAD_TOO_LARGE, detail);
    }
}
