package io.casswarm.gate.auth;

import io.micronaut.core.annotation.Introspected;

/**
 * Who the session belongs to.
 *
 * @param username           the user, also its tenant
 * @param role               ADMIN or USER
 * @param idleTimeoutSeconds the session ends after this long without a request
 * @param absoluteLifetimeSeconds the session ends this long after its login, however busy
 */
@Introspected
public record SessionView(String username, String role, long idleTimeoutSeconds, long absoluteLifetimeSeconds) {
}
