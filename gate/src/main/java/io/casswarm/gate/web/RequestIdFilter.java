package io.casswarm.gate.web;

import io.casswarm.common.http.RequestIds;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Takes the request id edge set (or makes one), puts it in the logging MDC for everything that
 * runs for this request, and echoes it on the response. The storage client reads it back from
 * the MDC to forward it.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class RequestIdFilter implements HttpServerFilter {

    /** Request attribute holding the request id. */
    public static final String ATTRIBUTE = "casswarm.requestId";

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String given = request.getHeaders().get(RequestIds.HEADER);
        String id = RequestIds.usable(given) ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        Map<String, String> mdc = new HashMap<>(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap());
        mdc.put(RequestIds.MDC_KEY, id);
        try (PropagatedContext.Scope ignored = PropagatedContext.getOrEmpty()
                .plus(new MdcPropagationContext(mdc))
                .propagate()) {
            return Publishers.map(chain.proceed(request), response -> response.header(RequestIds.HEADER, id));
        }
    }
}
