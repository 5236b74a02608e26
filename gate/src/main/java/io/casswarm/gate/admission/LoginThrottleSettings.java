package io.casswarm.gate.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Login attempts allowed before each further one has to wait, in three counters shared by every
 * gate through Redis. Past its free attempts a counter makes the next attempt wait
 * {@code firstDelay}, then twice as long after every further failure, up to its cap. A success
 * forgets the user name + address counter and gives its attempt back to the other two.
 *
 * @param perUserAndAddress    free attempts for one user name from one client address (the brute force)
 * @param perAddress           free attempts from one client address over all user names (password spraying)
 * @param perUser              free attempts for one user name over all addresses (a distributed guess)
 * @param firstDelay           the wait once a counter's free attempts are used
 * @param maxDelay             cap of the wait for the user name + address and the address counters
 * @param perUserMaxDelay      cap of the wait of the per-user-name counter: what an attacker with many
 *                             addresses can make the real user wait, at most, between two attempts
 * @param forgetAfter          a counter with no attempt for this long (beyond its wait) is forgotten
 */
@ConfigurationProperties("casswarm.login")
public record LoginThrottleSettings(
        @Bindable(defaultValue = "5") int perUserAndAddress,
        @Bindable(defaultValue = "20") int perAddress,
        @Bindable(defaultValue = "50") int perUser,
        @Bindable(defaultValue = "30s") Duration firstDelay,
        @Bindable(defaultValue = "15m") Duration maxDelay,
        @Bindable(defaultValue = "1m") Duration perUserMaxDelay,
        @Bindable(defaultValue = "1h") Duration forgetAfter) {
}
