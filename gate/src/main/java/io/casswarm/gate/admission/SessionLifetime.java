package io.casswarm.gate.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long a session may live however busy it is; the idle expiry beside it is Micronaut
 * Session's {@code micronaut.session.max-inactive-interval}.
 *
 * @param absolute      a session ends this long after its login, used or not
 * @param idlePrecision how far a session's last access may move before it is written to Redis
 *                      (at most a tenth of the idle expiry): an idle session ends up to this
 *                      much before its idle expiry, and a busy one costs a write this often
 *                      instead of on every request
 */
@ConfigurationProperties("casswarm.session")
public record SessionLifetime(@Bindable(defaultValue = "12h") Duration absolute,
                              @Bindable(defaultValue = "1m") Duration idlePrecision) {
}
