package io.casswarm.gate.storage;

import io.micronaut.core.type.Argument;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
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
 * instance's own health, so the storage → Cassandra check shows through gate's /health.
 */
@Singleton
final class StorageHealthIndicator implements HealthIndicator {

    private static final String NAME = "storage";
    private static final Argument<Map<String, Object>> HEALTH_BODY =
            Argument.mapOf(String.class, Object.class);

    private final StorageInstances instances;
    private final HttpClient client;
    private final StorageSettings settings;

    StorageHealthIndicator(StorageInstances instances, HttpClient client, StorageSettings settings) {
        this.instances = instances;
        this.client = client;
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
                .flatMap(uri -> Mono.from(client.retrieve(HttpRequest.GET(readiness(uri)), HEALTH_BODY))
                        .timeout(settings.requestTimeout())
                        .onErrorResume(HttpClientResponseException.class, e ->
                                Mono.just(e.getResponse().getBody(HEALTH_BODY).orElse(Map.of("status", "DOWN"))))
                        .onErrorResume(e -> Mono.just(Map.of("status", "DOWN", "error", String.valueOf(e.getMessage()))))
                        .map(body -> Map.entry(uri.getAuthority(), body)))
                .collectList()
                .map(StorageHealthIndicator::summarise);
    }

    /** Storage's readiness (Cassandra included) on its management port, open without a credential. */
    private URI readiness(URI instance) {
        return URI.create("http://" + instance.getHost() + ":" + settings.managementPort() + "/health/readiness");
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
