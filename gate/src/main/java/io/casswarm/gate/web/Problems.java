package io.casswarm.gate.web;

import io.casswarm.common.problem.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** Builds problem+json responses: the one place their shape and headers are decided. */
public final class Problems {

    /** Extension member of a problem naming seconds to wait; copied into {@code Retry-After}. */
    public static final String RETRY_AFTER = "retryAfterSeconds";

    private static final MediaType PROBLEM_JSON = MediaType.of(Problem.MEDIA_TYPE);

    private Problems() {
    }

    public static MutableHttpResponse<Problem> response(HttpRequest<?> request, Problem problem) {
        Problem withInstance = problem.instance() == null && request != null
                ? new Problem(problem.type(), problem.title(), problem.status(), problem.detail(),
                        request.getPath(), problem.extensions())
                : problem;
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(PROBLEM_JSON)
                .body(withInstance);
        Object retryAfter = problem.extensions().get(RETRY_AFTER);
        if (retryAfter != null) {
            response.header("Retry-After", String.valueOf(retryAfter));
        }
        return response;
    }
}
