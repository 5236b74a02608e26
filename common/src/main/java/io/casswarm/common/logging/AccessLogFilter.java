package io.casswarm.common.logging;

import io.casswarm.common.http.RequestIds;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import org.slf4j.MDC;

import java.security.Principal;

/**
 * Writes one {@link AccessLog} event per request, in every service that has common on its
 * classpath (gate and storage), including requests another filter answers without calling the
 * rest of the chain (gate's 415 for a missing Content-Type, a 429 of the rate limit). The
 * duration covers every filter inside it. The request id is the one in the MDC when the request
 * enters (when a request-id filter runs first), else the response's or the request's
 * X-Request-Id header; it is put back in the MDC around the log call, whatever thread completes
 * the response.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class AccessLogFilter implements HttpServerFilter {

    /**
     * Just inside a request-id filter at {@code FIRST.order()}, and strictly outside every filter
     * at {@code FIRST.after()} or later: a filter that answers on its own (gate's
     * {@code ContentTypeFilter} sits at {@code FIRST.after()}) must run inside this one, or its
     * answers miss the access log. Micronaut leaves the order of equal orders open.
     */
    static final int ORDER = ServerFilterPhase.FIRST.order() + 1;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        long start = System.nanoTime();
        String atEntry = MDC.get(RequestIds.MDC_KEY);
        return Publishers.map(chain.proceed(request), response -> {
            log(request, response.code(), requestId(atEntry, response, request), start);
            return response;
        });
    }

    private static String requestId(String atEntry, MutableHttpResponse<?> response, HttpRequest<?> request) {
        if (atEntry != null) {
            return atEntry;
        }
        String echoed = response.getHeaders().get(RequestIds.HEADER);
        if (echoed != null) {
            return echoed;
        }
        String given = request.getHeaders().get(RequestIds.HEADER);
        return RequestIds.usable(given) ? given : null;
    }

    private static void log(HttpRequest<?> request, int status, String requestId, long start) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String route = BasicHttpAttributes.getUriTemplate(request).orElse(null);
        String user = request.getUserPrincipal().map(Principal::getName).orElse(null);
        String previous = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            MDC.put(RequestIds.MDC_KEY, requestId);
        }
        try {
            AccessLog.log(request.getMethodName(), route, request.getPath(), status, millis, user);
        } finally {
            if (previous == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
        }
    }
}
