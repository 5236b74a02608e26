package io.casswarm.storage.http;

import io.casswarm.common.problem.Problem;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** A problem as an HTTP response: its status, application/problem+json, Retry-After on a 503. */
final class ProblemResponses {

    static final MediaType PROBLEM_JSON = MediaType.of(Problem.MEDIA_TYPE);

    private ProblemResponses() {
    }

    static MutableHttpResponse<Problem> of(Problem problem) {
        return decorate(HttpResponse.status(HttpStatus.valueOf(problem.status())), problem);
    }

    static <T> MutableHttpResponse<T> decorate(MutableHttpResponse<?> response, Problem problem) {
        @SuppressWarnings("unchecked")
        MutableHttpResponse<T> typed = (MutableHttpResponse<T>) response.body(problem);
        typed.contentType(PROBLEM_JSON);
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            Object seconds = problem.extensions().getOrDefault(Problems.RETRY_AFTER_MEMBER,
                    Problems.RETRY_AFTER_SECONDS);
            typed.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        }
        return typed;
    }
}
