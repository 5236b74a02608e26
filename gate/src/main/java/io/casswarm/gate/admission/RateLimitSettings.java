package io.casswarm.gate.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The per-user request limit, shared by every gate through Redis (login attempts:
 * {@link LoginThrottleSettings}).
 *
 * @param requests      requests one user may make per {@code window}, all gates together
 * @param window        length of one counting window for {@code requests}
 */
@ConfigurationProperties("casswarm.rate-limit")
public record RateLimitSettings(
        @Bindable(defaultValue = "500") int requests,
        @Bindable(defaultValue = "1s") Duration window) {
}
