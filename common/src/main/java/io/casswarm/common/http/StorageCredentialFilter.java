package io.casswarm.common.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;

import java.util.Set;

/**
 * storage serves only gate: every request must carry the storage credential
 * ({@link StorageCredential}), or it is answered 401 problem+json with
 * {@code WWW-Authenticate: Bearer} before any controller runs, so it changes nothing. The two
 * exceptions are the swarm's liveness and readiness probes, which carry no secret and say
 * nothing but UP or DOWN. Active where {@code casswarm.storage-credential.enforce} is true
 * (storage's application.yml); gate, which only sends the credential, does not load it. Runs
 * inside the request id and the access log, so a refused request is logged with its id.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = "casswarm.storage-credential.enforce", value = "true")
public final class StorageCredentialFilter implements HttpServerFilter {

    /** After the access log, before the Content-Type rule: an unknown caller learns nothing more. */
    public static final int ORDER = ContentTypeFilter.ORDER - 1;

    private static final Set<String> OPEN_PATHS = Set.of("/health/liveness", "/health/readiness");

    private final StorageCredential credential;

    StorageCredentialFilter(StorageCredential credential) {
        this.credential = credential;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (OPEN_PATHS.contains(request.getPath())
                || credential.accepts(request.getHeaders().get(StorageCredential.HEADER))) {
            return chain.proceed(request);
        }
        return Publishers.just(Problems.unauthorized(request,
                "storage answers only gate: a valid storage credential is required", StorageCredential.SCHEME,
                "casswarm-storage"));
    }
}
