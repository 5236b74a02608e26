package io.casswarm.storage.user;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

/** No user with this name. */
final class UserNotFoundException extends ProblemException {

    UserNotFoundException(String username) {
        super(ProblemType.NOT_FOUND, "no user '" + username + "'");
    }
}
