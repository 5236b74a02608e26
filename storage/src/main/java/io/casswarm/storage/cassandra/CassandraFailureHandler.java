package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import io.casswarm.common.http.Problems;
import io.casswarm.common.problem.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Cassandra failing a request is a 503 with Retry-After (or a 500 for a statement it refused), never a bare 500. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
final class CassandraFailureHandler implements ExceptionHandler<DriverException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DriverException exception) {
        return Problems.response(request, CassandraFailures.problem(exception));
    }
}
