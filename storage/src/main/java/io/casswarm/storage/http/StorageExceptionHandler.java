package io.casswarm.storage.http;

import io.casswarm.common.problem.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Maps every exception a route throws (domain problems, driver failures, surprises) to
 * problem+json through {@link Problems}. Micronaut's own, more specific handlers (bad JSON,
 * unsupported media type, body too large, missing argument...) keep their status and reach
 * problem+json through {@link ProblemErrorResponseProcessor}.
 */
@Singleton
final class StorageExceptionHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {

    private final Problems problems;

    StorageExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
        return ProblemResponses.of(problems.of(exception).withInstance(request.getPath()));
    }
}
