package io.casswarm.gate.ratelimit;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.gate.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.session.http.SessionForRequest;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Counts every authenticated API request against its user's limit, in Redis so that all gates
 * share it, and answers 429 with Retry-After past it. It also stops the sessions of a user the
 * administrator disabled, on every gate. Runs after the security filter, which has identified
 * the user by then.
 */
@Filter("/api/**")
public final class RequestRateLimitFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimitFilter.class);

    private final RedisLimits limits;
    private final Counter limited;

    RequestRateLimitFilter(RedisLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.limited = Counter.builder("casswarm.ratelimit.rejected")
                .description("Requests refused by the per-user rate limit")
                .register(meters);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Authentication user = request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class).orElse(null);
        if (user == null) {
            return chain.proceed(request);
        }
        return Mono.fromCompletionStage(() -> limits.countRequest(user.getName()))
                .flatMapMany(decision -> {
                    if (decision.disabled()) {
                        SessionForRequest.find(request).ifPresent(session -> session.setMaxInactiveInterval(Duration.ZERO));
                        return Mono.just(Problems.response(request,
                                Problem.of(ProblemType.UNAUTHORIZED, "this user is disabled")));
                    }
                    if (!decision.allowed()) {
                        limited.increment();
                        return Mono.just(Problems.response(request,
                                Problem.of(ProblemType.TOO_MANY_REQUESTS, "request rate limit of this user reached")
                                        .with(Problems.RETRY_AFTER, decision.retryAfterSeconds())));
                    }
                    return Flux.from(chain.proceed(request));
                }, error -> {
                    LOG.warn("Rate limit not checked: Redis failed: {}", error.toString());
                    return Mono.just(Problems.response(request,
                            Problem.of(ProblemType.UNAVAILABLE, "session store unavailable")
                                    .with(Problems.RETRY_AFTER, 1)));
                }, Flux::empty);
    }
}
