package io.casswarm.gate.storage;

import io.casswarm.common.http.StorageCredential;
import io.micronaut.core.type.Argument;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UP when at least one storage instance reports itself healthy. The details hold each
 * instance's own health (from its management port, with the storage credential), so the
 * storage → Cassandra check shows in gate's /health. Asked through {@link StorageClient} (its
 * tokens, its HTTP client, whose error statuses are answers: a DOWN storage's 503 carries its
 * health body).
 */
@Singleton
final class StorageHealthIndicator implements HealthIndicator {

    private static final String NAME = "storage";
    private static final Argument<Map<String, Object>> HEALTH_BODY =
            Argument.mapOf(String.class, Object.class);

    private final StorageInstances instances;
    private final StorageClient storage;
    private final StorageSettings settings;

    StorageHealthIndicator(StorageInstances instances, StorageClient storage, StorageSettings settings) {
        this.instances = instances;
        this.storage = storage;
        this.settings = settings;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        List<URI> all = instances.all();
        if (all.isEmpty()) {
            return Mono.just(HealthResult.builder(NAME, HealthStatus.DOWN)
                    .details(Map.of("error", "no storage instance resolves from " + settings.host()))
                    .build());
        }
        return Flux.fromIterable(all)
                .flatMap(uri -> health(uri).map(body -> Map.entry(uri.getAuthority(), body)))
                .collectList()
                .map(StorageHealthIndicator::summarise);
    }

    /**
     * One instance's health, asked with the current token and, while refused (401, a rotation
     * rolling), with each other one gate holds, as {@link StorageClient} does.
     */
    private Mono<Map<String, Object>> health(URI instance) {
        URI uri = managementHealth(instance);
        return storage.exchangePresentingEachToken(token -> HttpRequest.GET(uri).header(StorageCredential.HEADER, token),
                        HEALTH_BODY, settings.requestTimeout())
                .map(response -> response.getBody()
                        .orElseGet(() -> Map.of("status", "DOWN", "error", "status " + response.code())))
                .onErrorResume(e -> Mono.just(Map.of("status", "DOWN", "error", String.valueOf(e.getMessage()))));
    }

    /** The same instance's /health on its management port. */
    private URI managementHealth(URI instance) {
        return URI.create(instance.getScheme() + "://" + instance.getRawAuthority()
                .replaceFirst(":\\d+$", ":" + settings.managementPort()) + "/health");
    }

    private static HealthResult summarise(List<Map.Entry<String, Map<String, Object>>> answers) {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyUp = false;
        for (Map.Entry<String, Map<String, Object>> answer : answers) {
            details.put(answer.getKey(), answer.getValue());
            anyUp |= "UP".equals(answer.getValue().get("status"));
        }
        return HealthResult.builder(NAME, anyUp ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}
