package io.casswarm.gate.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Limits shared by every gate through Redis.
 *
 * @param requests      requests one user may make per {@code window}, all gates together
 * @param window        length of one counting window for {@code requests}
 * @param loginFailures failed logins allowed for one user name per {@code loginWindow}
 * @param loginWindow   how long failed logins are remembered
 */
@ConfigurationProperties("casswarm.rate-limit")
public record RateLimitSettings(
        @Bindable(defaultValue = "500") int requests,
        @Bindable(defaultValue = "1s") Duration window,
        @Bindable(defaultValue = "5") int loginFailures,
        @Bindable(defaultValue = "5m") Duration loginWindow) {
}
