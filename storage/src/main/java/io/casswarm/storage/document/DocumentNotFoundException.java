package io.casswarm.storage.document;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** No document with this id in this tenant's collection (or it expired). */
final class DocumentNotFoundException extends ProblemException {

    DocumentNotFoundException(String collection, String id) {
        super(ProblemType.NOT_FOUND, "no document '" + id + "' in collection '" + collection + "'");
    }
}
