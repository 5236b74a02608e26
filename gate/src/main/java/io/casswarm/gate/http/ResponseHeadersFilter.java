package io.casswarm.gate.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Adds {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff} to every
 * answer. Runs first, so it also sees the answers of the filters after it (401, 429, 503).
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class ResponseHeadersFilter implements HttpServerFilter {

    static final String NOSNIFF = "X-Content-Type-Options";

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        return Flux.from(chain.proceed(request)).doOnNext(response -> {
            response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().set(NOSNIFF, "nosniff");
        });
    }
}
