package io.casswarm.storage.http;

import io.casswarm.common.http.RequestIds;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * Puts the {@code X-Request-Id} of a request in the SLF4J MDC under {@code trace.id} for the
 * duration of the request (Micronaut's propagated context restores it on every thread that
 * continues the request), and echoes it on the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestIdFilter {

    @RequestFilter
    void putInMdc(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = requestId(request);
        if (id != null) {
            Map<String, String> mdc = new HashMap<>();
            Map<String, String> current = MDC.getCopyOfContextMap();
            if (current != null) {
                mdc.putAll(current);
            }
            mdc.put(RequestIds.MDC_KEY, id);
            context.add(new MdcPropagationContext(mdc));
        }
    }

    @ResponseFilter
    void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = requestId(request);
        if (id != null) {
            response.header(RequestIds.HEADER, id);
        }
    }

    /** The header, if usable in a log line (see {@link RequestIds#usable}). */
    private static String requestId(HttpRequest<?> request) {
        String id = request.getHeaders().get(RequestIds.HEADER);
        return RequestIds.usable(id) ? id : null;
    }
}
