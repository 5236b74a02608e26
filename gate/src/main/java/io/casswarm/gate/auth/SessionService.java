package io.casswarm.gate.auth;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.gate.admission.LoginThrottle;
import io.casswarm.gate.admission.UserSessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthenticationResponse;
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

import java.time.Duration;
import java.util.Optional;

/**
 * Logging in and out with Micronaut Security's session mode. Every login attempt is counted
 * before its password is checked ({@link LoginThrottle}). Credentials are checked by
 * {@link PasswordCheck}; a successful login gets a
 * brand-new session from the {@link SessionStore} (Redis) through the security module's session
 * login handler, any session the request came with is ended first. Micronaut Session's filter
 * saves the session and writes its id as the {@code __Host-SESSION} cookie and the {@code X-Auth-Token}
 * header.
 */
@Singleton
public class SessionService {

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final PasswordCheck passwords;
    private final LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> loginHandler;
    private final SessionStore<Session> sessions;
    private final LoginThrottle throttle;
    private final UserSessions userSessions;
    private final MeterRegistry meters;
    private final long idleTimeoutSeconds;

    SessionService(PasswordCheck passwords,
                   LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> loginHandler,
                   SessionStore<Session> sessions,
                   LoginThrottle throttle,
                   UserSessions userSessions,
                   MeterRegistry meters,
                   @Value("${" + SessionSettings.PREFIX + ".max-inactive-interval:30m}") Duration idleTimeout) {
        this.idleTimeoutSeconds = idleTimeout.toSeconds();
        this.passwords = passwords;
        this.loginHandler = loginHandler;
        this.sessions = sessions;
        this.throttle = throttle;
        this.userSessions = userSessions;
        this.meters = meters;
    }

    /**
     * Authenticates and opens a new session; the response carries its id once filtered. The
     * attempt is counted before the password is checked ({@link LoginThrottle}): 429 when it
     * must wait.
     */
    public MutableHttpResponse<?> login(HttpRequest<?> request, LoginCommand login) {
        LoginThrottle.Attempt attempt = throttle.attempt(login.username(), request);
        try {
            throttle.reserve(attempt);
        } catch (ProblemException e) {
            count("blocked");
            throw e;
        }
        AuthenticationResponse answer;
        try {
            answer = passwords.check(login.username(), login.password());
        } catch (RuntimeException e) {
            throttle.notChecked(attempt);
            throw e;
        }
        if (answer == null || !answer.isAuthenticated() || answer.getAuthentication().isEmpty()) {
            count("failed");
            LOG.info("Failed login for user name {} from {}", login.username(), attempt.address());
            throw new ProblemException(ProblemType.UNAUTHORIZED, "user name or password is wrong, or the user is disabled");
        }
        throttle.succeeded(attempt);
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
                idleTimeoutSeconds, userSessions.absoluteLifetimeSeconds());
    }

    /** Ends the session the request came with, on every gate (it is deleted in Redis). */
    public boolean logout(HttpRequest<?> request) {
        boolean ended = end(request);
        if (ended) {
            meters.counter("casswarm.sessions.logouts").increment();
        }
        return ended;
    }

    /** Ends the session the request came with (after its user changed its password). */
    public void endCurrent(HttpRequest<?> request) {
        end(request);
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
