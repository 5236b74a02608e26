package io.casswarm.common.http;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * A problem as an HTTP response, in gate and storage alike: the one place the status, the
 * {@code application/problem+json} content type, the {@code instance} (the request's path) and
 * {@code Retry-After} are decided. A 503 always tells the client when to come back: its
 * {@link Problem#RETRY_AFTER} member, or {@link Problem#DEFAULT_RETRY_AFTER_SECONDS}.
 */
public final class Problems {

    /** {@code application/problem+json}. */
    public static final MediaType PROBLEM_JSON = MediaType.of(Problem.MEDIA_TYPE);

    private Problems() {
    }

    /** The response of a problem, about {@code request} (null: no instance is added). */
    public static MutableHttpResponse<Problem> response(@Nullable HttpRequest<?> request, Problem problem) {
        return decorate(HttpResponse.status(HttpStatus.valueOf(problem.status())), request, problem);
    }

    /**
     * 401 problem+json for a request without the credential a filter asks for, with the
     * {@code WWW-Authenticate} challenge naming its scheme and realm (e.g. {@code Bearer
     * realm="casswarm-storage"}), so a refused caller learns what is asked and nothing else.
     */
    public static MutableHttpResponse<Problem> unauthorized(HttpRequest<?> request, String detail, String scheme,
                                                            String realm) {
        MutableHttpResponse<Problem> refused = response(request, Problem.of(ProblemType.UNAUTHORIZED, detail));
        refused.header(HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=\"" + realm + "\"");
        return refused;
    }

    /**
     * Turns a response Micronaut prepared (with its status and headers, such as {@code Allow} on
     * a 405) into the response of {@code problem}.
     */
    public static MutableHttpResponse<Problem> decorate(MutableHttpResponse<?> response, @Nullable HttpRequest<?> request,
                                                        Problem problem) {
        Problem complete = problem;
        if (complete.instance() == null && request != null) {
            complete = complete.withInstance(request.getPath());
        }
        if (complete.status() == ProblemType.UNAVAILABLE.status() && complete.retryAfterSeconds() == null) {
            complete = complete.retryAfter(Problem.DEFAULT_RETRY_AFTER_SECONDS);
        }
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Problem> typed = (MutableHttpResponse<Problem>) response;
        typed.status(complete.status());
        typed.body(complete);
        typed.contentType(PROBLEM_JSON);
        Long retryAfter = complete.retryAfterSeconds();
        if (retryAfter != null) {
            typed.header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        }
        return typed;
    }
}
