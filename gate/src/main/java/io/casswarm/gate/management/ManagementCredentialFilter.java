package io.casswarm.gate.management;

import io.casswarm.common.http.Problems;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;

import java.util.Set;

/**
 * gate's health details and metrics answer only the management credential
 * ({@link ManagementCredential}): anything else on gate's networks (edge, the app tier) gets 401
 * problem+json with {@code WWW-Authenticate: Basic}. Liveness and readiness stay open: swarm's
 * health check and edge's server check carry no secret, and those say only UP or DOWN. Only on
 * the management port: on the API port these paths stay what they are there, 404. Runs after the
 * request id and access log, so a refused read is logged with its id.
 */
@Filter({"/health", "/health/**", "/prometheus"})
public final class ManagementCredentialFilter implements HttpServerFilter {

    private static final Set<String> OPEN_PATHS = Set.of("/health/liveness", "/health/readiness");

    private final ManagementCredential credential;
    private final int managementPort;

    ManagementCredentialFilter(ManagementCredential credential,
                               @Property(name = "endpoints.all.port", defaultValue = "-1") int managementPort) {
        this.credential = credential;
        this.managementPort = managementPort;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!credential.required() || request.getServerAddress().getPort() != managementPort
                || OPEN_PATHS.contains(request.getPath())
                || credential.accepts(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) {
            return chain.proceed(request);
        }
        return Publishers.just(Problems.unauthorized(request,
                "gate's health details and metrics need the management credential", ManagementCredential.SCHEME,
                "casswarm-management"));
    }
}
