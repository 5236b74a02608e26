package io.casswarm.storage.user;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** A create named a username that is taken: users are never overwritten. */
final class UserExistsException extends ProblemException {

    UserExistsException(String username) {
        super(ProblemType.CONFLICT, "user '" + username + "' already exists");
    }
}
