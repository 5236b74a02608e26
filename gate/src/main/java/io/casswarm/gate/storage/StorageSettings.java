package io.casswarm.gate.storage;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How gate finds and calls storage. On the swarm {@code host} is {@code tasks.storage}: Docker's
 * DNS answers with one address per running storage task, so gate spreads requests itself. The
 * HTTP client's own settings (connect timeout, pool) are Micronaut's, under
 * {@code micronaut.http.services.storage} in application.yml.
 *
 * @param host           DNS name that resolves to every storage instance
 * @param port           storage's HTTP port
 * @param managementPort storage's management port (its health, read by {@code StorageHealthIndicator})
 * @param requestTimeout time allowed for one call to one instance
 * @param bulkTimeout    time allowed for one bulk create to one instance: up to 100 conditional
 *                       writes, several seconds on a loaded ring; below edge's 30 s
 *                       {@code timeout server}, so gate answers before edge gives up
 * @param maxAttempts    how many instances one request may try, the first included
 * @param instancesRefresh how often {@code host} is looked up again (in the background)
 */
@ConfigurationProperties("casswarm.storage")
public record StorageSettings(
        @Bindable(defaultValue = "127.0.0.1") String host,
        @Bindable(defaultValue = "8081") int port,
        @Bindable(defaultValue = "9090") int managementPort,
        @Bindable(defaultValue = "5s") Duration requestTimeout,
        @Bindable(defaultValue = "25s") Duration bulkTimeout,
        @Bindable(defaultValue = "3") int maxAttempts,
        @Bindable(defaultValue = "1s") Duration instancesRefresh) {
}
