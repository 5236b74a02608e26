package io.casswarm.common.http;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Every domain failure ({@link ProblemException}, thrown or completing a future) becomes its
 * problem+json response here, in gate and storage. Failures of a service's own dependencies
 * (Redis in gate, Cassandra in storage) have their own small handlers that make a problem and
 * answer it through {@link Problems}.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
final class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        return Problems.response(request, exception.problem());
    }
}
