package io.casswarm.storage.http;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Micronaut's own error responses (malformed JSON, unsupported media type 415, body too
 * large 413, no route 404, wrong method 405, unconvertible argument 400...) as problem+json
 * instead of its default JSON error shape. Internal details never reach a 5xx body.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        ProblemType type = Arrays.stream(ProblemType.values())
                .filter(candidate -> candidate.status() == status)
                .findFirst()
                .orElse(status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST);
        String detail = status >= 500 ? null : context.getErrors().stream()
                .map(Error::getMessage)
                .collect(Collectors.joining("; "));
        Problem problem = new Problem(type.uri(), type.title(), status,
                detail == null || detail.isBlank() ? HttpStatus.valueOf(status).getReason() : detail,
                context.getRequest().getPath(), null);
        return ProblemResponses.decorate(response, problem);
    }
}
