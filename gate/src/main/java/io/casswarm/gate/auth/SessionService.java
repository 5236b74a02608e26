package io.casswarm.gate.auth;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.gate.admission.RedisLimits;
import io.casswarm.gate.admission.TooManyRequestsException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.Authenticator;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.handlers.LoginHandler;
import io.micronaut.session.Session;
import io.micronaut.session.SessionSettings;
import io.micronaut.session.SessionStore;
import io.micronaut.session.http.HttpSessionFilter;
import io.micronaut.session.http.SessionForRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;

/**
 * Logging in and out with Micronaut Security's session mode. Credentials go through the
 * {@link Authenticator} (and so {@link GateAuthenticationProvider}); a successful login gets a
 * brand-new session from the {@link SessionStore} (Redis) through the security module's session
 * login handler, any session the request came with is ended first. Micronaut Session's filter
 * saves the session and writes its id as the {@code SESSION} cookie and the {@code X-Auth-Token}
 * header.
 */
@Singleton
public class SessionService {

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final Authenticator<HttpRequest<?>> authenticator;
    private final LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> loginHandler;
    private final SessionStore<Session> sessions;
    private final RedisLimits limits;
    private final MeterRegistry meters;
    private final long idleTimeoutSeconds;

    SessionService(Authenticator<HttpRequest<?>> authenticator,
                   LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> loginHandler,
                   SessionStore<Session> sessions,
                   RedisLimits limits,
                   MeterRegistry meters,
                   @Value("${" + SessionSettings.PREFIX + ".max-inactive-interval:30m}") Duration idleTimeout) {
        this.idleTimeoutSeconds = idleTimeout.toSeconds();
        this.authenticator = authenticator;
        this.loginHandler = loginHandler;
        this.sessions = sessions;
        this.limits = limits;
        this.meters = meters;
    }

    /** Authenticates and opens a new session; the response carries its id once filtered. */
    public MutableHttpResponse<?> login(HttpRequest<?> request, LoginCommand login) {
        long blockedFor = limits.loginBlockedFor(login.username());
        if (blockedFor > 0) {
            count("blocked");
            throw new TooManyRequestsException("too many failed logins for this user; wait before trying again",
                    blockedFor);
        }
        AuthenticationResponse answer = Mono.from(authenticator.authenticate(request,
                new UsernamePasswordCredentials(login.username(), login.password()))).block();
        if (answer == null || !answer.isAuthenticated() || answer.getAuthentication().isEmpty()) {
            limits.loginFailed(login.username());
            count("failed");
            LOG.info("Failed login for user name {}", login.username());
            throw new ProblemException(ProblemType.UNAUTHORIZED, "user name or password is wrong, or the user is disabled");
        }
        limits.loginSucceeded(login.username());
        if (end(request)) {
            // so that the login handler makes a new session instead of reusing the ended one
            request.getAttributes().remove(HttpSessionFilter.SESSION_ATTRIBUTE.toString());
        }
        Authentication authentication = answer.getAuthentication().get();
        MutableHttpResponse<?> response = loginHandler.loginSuccess(authentication, request);
        count("succeeded");
        LOG.info("User {} logged in", authentication.getName());
        return response.body(view(authentication));
    }

    public SessionView view(Authentication authentication) {
        return new SessionView(authentication.getName(), String.join(",", authentication.getRoles()),
                idleTimeoutSeconds);
    }

    /** Ends the session the request came with, on every gate (it is deleted in Redis). */
    public boolean logout(HttpRequest<?> request) {
        boolean ended = end(request);
        if (ended) {
            meters.counter("casswarm.sessions.logouts").increment();
        }
        return ended;
    }

    private boolean end(HttpRequest<?> request) {
        Optional<Session> current = SessionForRequest.find(request);
        if (current.isEmpty()) {
            return false;
        }
        Session session = current.get();
        session.remove(SecurityFilter.AUTHENTICATION);
        // Expired at once: the session filter saves it like this, which deletes it in Redis.
        session.setMaxInactiveInterval(Duration.ZERO);
        sessions.save(session).join();
        // On logout it stays on the request, so the session filter answers with an emptied token
        // and an expired cookie.
        return true;
    }

    private void count(String outcome) {
        meters.counter("casswarm.sessions.logins", "outcome", outcome).increment();
    }
}
