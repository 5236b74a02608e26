package io.casswarm.gate.storage;

import io.casswarm.common.http.RequestIds;
import io.casswarm.common.http.StorageCredential;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Calls storage. Every request picks the next instance of the current DNS answer (round robin per
 * request, not per connection), on Micronaut's HTTP client: the event loops gate already runs and
 * a pool of kept-alive connections per instance (configured as the service {@code storage},
 * {@code micronaut.http.services.storage}, in application.yml). The documents API answers without
 * blocking any thread ({@link #sendAsync}); the users API waits on the blocking executor
 * ({@link #send}). The wait for one attempt is {@link StorageSettings#requestTimeout()}.
 *
 * <p>Which failures this layer retries, on the next instance, at most
 * {@link StorageSettings#maxAttempts()} attempts in all, then a 503 problem:
 * <ul>
 *   <li>never reached an instance (connection refused, connect timeout): any request;</li>
 *   <li>may have reached one (timeout, connection lost, 502/503/504): requests marked
 *       idempotent, which every document request is: reads, and writes carrying their
 *       idempotency key, which storage answers as applied when an earlier attempt landed.</li>
 * </ul>
 * The whole list of retrying layers (edge, gate, storage, the driver) is in docs/CONTRACT.md.
 *
 * <p>Every request carries the storage credential ({@link StorageCredential}). A 401 means a
 * rotation is rolling: the same instance is asked again with the previous token (this gate may
 * have started before that storage restarted with the new one); refused with every token, the
 * token files are read again and the request goes to the next instance, like a failure that never
 * reached one (storage refuses before doing anything).
 */
@Singleton
public class StorageClient {

    private static final Logger LOG = LoggerFactory.getLogger(StorageClient.class);
    private static final byte[] EMPTY = new byte[0];
    // The same type for a success and an error body: with exception-on-error-status off, the
    // client then answers an error status as a response instead of throwing.
    private static final Argument<byte[]> BYTES = Argument.of(byte[].class);

    private final StorageInstances instances;
    private final StorageSettings settings;
    private final StorageCredential credential;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();
    private final MeterRegistry meters;
    private final Counter retries;
    private final Counter exhausted;

    StorageClient(StorageInstances instances, StorageSettings settings, StorageCredential credential,
                  MeterRegistry meters, @Client(id = "storage") HttpClient http) {
        this.instances = instances;
        this.settings = settings;
        this.credential = credential;
        this.meters = meters;
        this.http = http;
        this.retries = Counter.builder("casswarm.storage.retries")
                .description("Storage calls tried again on another instance")
                .register(meters);
        this.exhausted = Counter.builder("casswarm.storage.unavailable")
                .description("Requests that found no storage instance able to answer")
                .register(meters);
    }

    /**
     * Sends one request to storage and waits for its answer: for callers that may block (the
     * users API and login run on the blocking executor).
     *
     * @param method     HTTP method
     * @param path       path and query, starting with {@code /internal/}
     * @param headers    extra headers (content type, If-Match …)
     * @param body       request body, or null
     * @param idempotent whether sending it twice is harmless
     */
    public StorageResponse send(String method, String path, Map<String, String> headers, byte[] body,
                                boolean idempotent) {
        try {
            return sendAsync(method, path, headers, body, idempotent, settings.requestTimeout()).join();
        } catch (CompletionException e) {
            if (Futures.cause(e) instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** As {@link #send(String, String, Map, byte[], boolean)}, answered without blocking the caller. */
    public CompletableFuture<StorageResponse> sendAsync(String method, String path, Map<String, String> headers,
                                                        byte[] body, boolean idempotent) {
        return sendAsync(method, path, headers, body, idempotent, settings.requestTimeout());
    }

    /** As {@link #sendAsync(String, String, Map, byte[], boolean)}, with its own time per attempt. */
    public CompletableFuture<StorageResponse> sendAsync(String method, String path, Map<String, String> headers,
                                                        byte[] body, boolean idempotent, Duration timeout) {
        List<URI> all = instances.all();
        if (all.isEmpty()) {
            exhausted.increment();
            return CompletableFuture.failedFuture(new StorageUnavailableException("no storage instance is running"));
        }
        // Read here, on the caller's thread: the attempts continue on event loops, without this MDC.
        Call call = new Call(method, path, headers, body, idempotent, timeout, all,
                Math.floorMod(next.getAndIncrement(), all.size()), Math.max(1, settings.maxAttempts()),
                MDC.get(RequestIds.MDC_KEY));
        CompletableFuture<StorageResponse> answer = new CompletableFuture<>();
        attempt(call, 0, false, null, answer);
        return answer;
    }

    /** One request's attempts share this. */
    private record Call(String method, String path, Map<String, String> headers, byte[] body, boolean idempotent,
                        Duration timeout, List<URI> instances, int start, int attempts, String requestId) {
    }

    /** Attempt number {@code attempt} (from 0) on the instance after the previous one; the last gives up. */
    private void attempt(Call call, int attempt, boolean credentialReread, String lastFailure,
                         CompletableFuture<StorageResponse> answer) {
        if (attempt >= call.attempts()) {
            giveUp(call, lastFailure, answer);
            return;
        }
        URI base = call.instances().get((call.start() + attempt) % call.instances().size());
        if (attempt > 0) {
            retries.increment();
            LOG.info("Retrying {} {} on {} after: {}", call.method(), call.path(), base.getAuthority(), lastFailure);
        }
        Timer.Sample sample = Timer.start(meters);
        exchangePresentingEachToken(token -> build(base, call, token), BYTES, call.timeout()).toFuture()
                .whenComplete((response, error) -> {
                    sample.stop(Timer.builder("casswarm.storage.calls")
                            .description("Calls from gate to one storage instance")
                            .tag("method", call.method())
                            .tag("status", response == null ? "error" : String.valueOf(response.code()))
                            .register(meters));
                    // The request's id in the MDC for what this logs, on an event loop's thread.
                    String previous = MDC.get(RequestIds.MDC_KEY);
                    if (call.requestId() != null) {
                        MDC.put(RequestIds.MDC_KEY, call.requestId());
                    }
                    try {
                        if (error == null) {
                            answered(call, attempt, credentialReread, base, response, answer);
                        } else {
                            failed(call, attempt, credentialReread, base, error, answer);
                        }
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    } finally {
                        if (previous == null) {
                            MDC.remove(RequestIds.MDC_KEY);
                        } else {
                            MDC.put(RequestIds.MDC_KEY, previous);
                        }
                    }
                });
    }

    private void answered(Call call, int attempt, boolean credentialReread, URI base, HttpResponse<byte[]> response,
                          CompletableFuture<StorageResponse> answer) {
        int status = response.code();
        if (status == 401) {
            // Refused before anything was done, so safe to send again for any request:
            // after a rotation this gate may hold an old token (read the file again), or
            // this storage may not have restarted with the new one yet (another may have).
            String failure = "storage " + base.getAuthority() + " refused every token gate holds";
            if (!credentialReread) {
                LOG.warn("{}: reading the token file again", failure);
                credential.reload();
            }
            attempt(call, attempt + 1, true, failure, answer);
            return;
        }
        if ((status == 502 || status == 503 || status == 504) && call.idempotent() && attempt + 1 < call.attempts()) {
            attempt(call, attempt + 1, credentialReread, "status " + status + " from " + base.getAuthority(), answer);
            return;
        }
        answer.complete(new StorageResponse(status, response.getHeaders(), response.getBody().orElse(EMPTY), attempt + 1));
    }

    private void failed(Call call, int attempt, boolean credentialReread, URI base, Throwable error,
                        CompletableFuture<StorageResponse> answer) {
        Throwable failure = Exceptions.unwrap(Futures.cause(error));
        if (!(failure instanceof HttpClientException || failure instanceof TimeoutException)) {
            answer.completeExceptionally(failure);
            return;
        }
        String lastFailure;
        if (neverSent(failure)) {
            lastFailure = "cannot connect to " + base.getAuthority() + ": " + failure;
        } else if (failure instanceof TimeoutException || failure instanceof ReadTimeoutException) {
            lastFailure = "no answer from " + base.getAuthority() + " within " + call.timeout();
        } else {
            // The connection failed after the request may have been sent (closed, reset).
            lastFailure = "I/O failure with " + base.getAuthority() + ": " + failure;
        }
        if (!neverSent(failure) && !call.idempotent()) {
            giveUp(call, lastFailure, answer);
            return;
        }
        attempt(call, attempt + 1, credentialReread, lastFailure, answer);
    }

    private void giveUp(Call call, String lastFailure, CompletableFuture<StorageResponse> answer) {
        exhausted.increment();
        LOG.warn("Storage unavailable for {} {}: {}", call.method(), call.path(), lastFailure);
        answer.completeExceptionally(new StorageUnavailableException("storage did not answer"));
    }

    /**
     * One request to one instance with the current token and, while refused (401: a rotation
     * rolling), with each other one gate holds; each try waits at most {@code timeout}. Every call
     * and the health check ({@link StorageHealthIndicator}) go through here.
     *
     * @param request the request carrying the given credential header value
     * @param body    the answer's body type, a success's and an error's alike
     */
    <T> Mono<HttpResponse<T>> exchangePresentingEachToken(Function<String, MutableHttpRequest<?>> request,
                                                          Argument<T> body, Duration timeout) {
        return Flux.fromIterable(credential.headerValues())
                .concatMap(token -> Mono.from(http.exchange(request.apply(token), body, body)).timeout(timeout))
                .takeUntil(response -> response.code() != 401)
                .last();
    }

    /** Whether the failure happened before the request left (the connection was never made). */
    private static boolean neverSent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static MutableHttpRequest<byte[]> build(URI base, Call call, String credentialHeader) {
        MutableHttpRequest<byte[]> request = HttpRequest.<byte[]>create(HttpMethod.parse(call.method()),
                        base.toString() + call.path())
                .header("Accept", "application/json, application/problem+json")
                .header(StorageCredential.HEADER, credentialHeader);
        if (call.body() != null) {
            request.body(call.body());
        }
        if (call.requestId() != null) {
            request.header(RequestIds.HEADER, call.requestId());
        }
        call.headers().forEach(request::header);
        return request;
    }
}
