package io.casswarm.gate.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long a session may live however busy it is; the idle expiry beside it is Micronaut
 * Session's {@code micronaut.session.max-inactive-interval}.
 *
 * @param absolute a session ends this long after its login, used or not
 */
@ConfigurationProperties("casswarm.session")
public record SessionLifetime(@Bindable(defaultValue = "12h") Duration absolute) {
}
