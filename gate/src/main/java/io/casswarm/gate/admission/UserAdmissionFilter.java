package io.casswarm.gate.admission;

import io.casswarm.common.http.Problems;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpMethod;
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
 * Admits, or not, every authenticated API request, with one Redis round trip shared by all
 * gates: a session that has ended (its user disabled or its password changed since the login,
 * or past its absolute lifetime: {@link UserSessions}) is ended here, on whichever gate it next
 * comes to (401), and a user past its request rate limit gets 429 with Retry-After. Runs after
 * the security filter, which has identified the user by then.
 */
@Filter("/api/**")
public final class UserAdmissionFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(UserAdmissionFilter.class);
    private static final String LOGIN_PATH = "/api/v1/session";

    private final AdmissionCheck admissions;
    private final UserSessions sessions;
    private final Counter limited;

    UserAdmissionFilter(AdmissionCheck admissions, UserSessions sessions, MeterRegistry meters) {
        this.admissions = admissions;
        this.sessions = sessions;
        this.limited = Counter.builder("casswarm.ratelimit.rejected")
                .description("Requests refused by the per-user rate limit")
                .register(meters);
    }

    private static boolean isLogin(HttpRequest<?> request) {
        return request.getMethod() == HttpMethod.POST && LOGIN_PATH.equals(request.getPath());
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
        return Mono.fromCompletionStage(() -> admissions.check(user.getName()))
                .flatMapMany(admission -> {
                    if (!sessions.isCurrent(user, admission.generation())) {
                        SessionForRequest.find(request).ifPresent(session -> session.setMaxInactiveInterval(Duration.ZERO));
                        if (isLogin(request)) {
                            // a login sent with an ended session is a login: that session ends there anyway
                            return Flux.from(chain.proceed(request));
                        }
                        return Mono.just(Problems.response(request,
                                Problem.of(ProblemType.UNAUTHORIZED, "this session has ended; log in again")));
                    }
                    if (!admission.allowed()) {
                        limited.increment();
                        return Mono.just(Problems.response(request,
                                Problem.of(ProblemType.TOO_MANY_REQUESTS, "request rate limit of this user reached")
                                        .retryAfter(admission.retryAfterSeconds())));
                    }
                    return Flux.from(chain.proceed(request));
                }, error -> {
                    LOG.warn("Request not admitted: Redis failed: {}", error.toString());
                    return Mono.just(Problems.response(request,
                            Problem.of(ProblemType.UNAVAILABLE, "session store unavailable")));
                }, Flux::empty);
    }
}
