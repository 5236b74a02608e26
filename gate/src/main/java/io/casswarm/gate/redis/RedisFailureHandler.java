package io.casswarm.gate.redis;

import io.casswarm.common.http.Problems;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.lettuce.core.RedisException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Redis (the session store) failing is a 503 with Retry-After, not a 500. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public final class RedisFailureHandler implements ExceptionHandler<RedisException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFailureHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RedisException exception) {
        LOG.warn("Redis failed during {} {}: {}", request.getMethod(), request.getPath(), exception.toString());
        return Problems.response(request, Problem.of(ProblemType.UNAVAILABLE, "session store unavailable"));
    }
}
