package io.casswarm.common.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * The request id of every request gate or storage serves: the {@code X-Request-Id} it came with
 * when usable ({@link RequestIds#usable}), otherwise a new one. It is in the logging MDC as
 * {@code trace.id} for everything that runs for the request (Micronaut's propagated context
 * restores it on every thread that continues it), gate's storage client forwards it from there,
 * and it is echoed on the response. Runs first, so every other filter (the access log
 * included) sees it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestIdFilter implements Ordered {

    /** The first of all filters. */
    public static final int ORDER = ServerFilterPhase.FIRST.order();

    /** Request attribute holding the id, for the response filter. */
    private static final String ID = RequestIdFilter.class.getName() + ".id";

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    void enter(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestIds.usableOrNew(request.getHeaders().get(RequestIds.HEADER));
        request.setAttribute(ID, id);
        Map<String, String> mdc = new HashMap<>();
        Map<String, String> current = MDC.getCopyOfContextMap();
        if (current != null) {
            mdc.putAll(current);
        }
        mdc.put(RequestIds.MDC_KEY, id);
        context.add(new MdcPropagationContext(mdc));
    }

    @ResponseFilter
    void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ID, String.class).ifPresent(id -> response.header(RequestIds.HEADER, id));
    }
}
