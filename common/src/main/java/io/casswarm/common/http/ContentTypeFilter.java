package io.casswarm.common.http;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;

import java.util.Set;

/**
 * A request with a body must say what it is. Micronaut ignores a Content-Type it cannot parse
 * ("nonsense") and then reads the body as JSON anyway; here such a request, or one without any
 * Content-Type, is a 415 before it reaches a controller, in gate and storage alike. Which types
 * each endpoint takes is still decided by its {@code @Consumes}. Runs inside the access log
 * ({@link io.casswarm.common.logging.AccessLogFilter}), so its answers are logged.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class ContentTypeFilter implements HttpServerFilter {

    /** Just after the request id and the access log. */
    public static final int ORDER = ServerFilterPhase.FIRST.after();

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!WITH_BODY.contains(request.getMethod())) {
            return chain.proceed(request);
        }
        String header = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (header == null || !parses(header)) {
            return Publishers.just(Problems.response(request, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    header == null ? "a Content-Type is required" : "Content-Type is not a media type")));
        }
        return chain.proceed(request);
    }

    private static boolean parses(String header) {
        try {
            MediaType type = MediaType.of(header);
            return !type.getType().isBlank() && !type.getSubtype().isBlank() && header.contains("/");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
