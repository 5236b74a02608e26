package io.casswarm.gate.storage;

import io.casswarm.common.http.RequestIds;
import io.casswarm.common.http.StorageCredential;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls storage. Every request picks the next instance of the current DNS answer (round robin per
 * request, not per connection); connections are kept alive by the JDK client's pool.
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

    private final StorageInstances instances;
    private final StorageSettings settings;
    private final StorageCredential credential;
    private final ExecutorService executor;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();
    private final MeterRegistry meters;
    private final Counter retries;
    private final Counter exhausted;

    StorageClient(StorageInstances instances, StorageSettings settings, StorageCredential credential,
                  MeterRegistry meters) {
        this.instances = instances;
        this.settings = settings;
        this.credential = credential;
        this.meters = meters;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "storage-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.retries = Counter.builder("casswarm.storage.retries")
                .description("Storage calls tried again on another instance")
                .register(meters);
        this.exhausted = Counter.builder("casswarm.storage.unavailable")
                .description("Requests that found no storage instance able to answer")
                .register(meters);
    }

    /**
     * Sends one request to storage.
     *
     * @param method     HTTP method
     * @param path       path and query, starting with {@code /internal/}
     * @param headers    extra headers (content type, If-Match …)
     * @param body       request body, or null
     * @param idempotent whether sending it twice is harmless
     */
    public StorageResponse send(String method, String path, Map<String, String> headers, byte[] body,
                                boolean idempotent) {
        return send(method, path, headers, body, idempotent, settings.requestTimeout());
    }

    /** As {@link #send(String, String, Map, byte[], boolean)}, with its own time per attempt. */
    public StorageResponse send(String method, String path, Map<String, String> headers, byte[] body,
                                boolean idempotent, Duration timeout) {
        List<URI> all = instances.all();
        if (all.isEmpty()) {
            exhausted.increment();
            throw new StorageUnavailableException("no storage instance is running");
        }
        int start = Math.floorMod(next.getAndIncrement(), all.size());
        int attempts = Math.max(1, settings.maxAttempts());
        String lastFailure = null;
        boolean credentialReread = false;
        for (int attempt = 0; attempt < attempts; attempt++) {
            URI base = all.get((start + attempt) % all.size());
            if (attempt > 0) {
                retries.increment();
                LOG.info("Retrying {} {} on {} after: {}", method, path, base.getAuthority(), lastFailure);
            }
            Timer.Sample sample = Timer.start(meters);
            String outcome = "error";
            try {
                HttpResponse<byte[]> response = sendPresentingEachToken(base, method, path, headers, body, timeout);
                outcome = String.valueOf(response.statusCode());
                int status = response.statusCode();
                if (status == 401) {
                    // Refused before anything was done, so safe to send again for any request:
                    // after a rotation this gate may hold an old token (read the file again), or
                    // this storage may not have restarted with the new one yet (another may have).
                    lastFailure = "storage " + base.getAuthority() + " refused every token gate holds";
                    if (!credentialReread) {
                        LOG.warn("{}: reading the token file again", lastFailure);
                        credential.reload();
                        credentialReread = true;
                    }
                    continue;
                }
                if ((status == 502 || status == 503 || status == 504) && idempotent && attempt + 1 < attempts) {
                    lastFailure = "status " + status + " from " + base.getAuthority();
                    continue;
                }
                return new StorageResponse(status, response.headers(), response.body(), attempt + 1);
            } catch (HttpConnectTimeoutException | ConnectException | ClosedChannelException e) {
                lastFailure = "cannot connect to " + base.getAuthority() + ": " + e;
            } catch (HttpTimeoutException e) {
                lastFailure = "no answer from " + base.getAuthority() + " within " + timeout;
                if (!idempotent) {
                    break;
                }
            } catch (IOException e) {
                lastFailure = "I/O failure with " + base.getAuthority() + ": " + e;
                if (!idempotent && !neverSent(e)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("interrupted while calling storage");
            } finally {
                sample.stop(Timer.builder("casswarm.storage.calls")
                        .description("Calls from gate to one storage instance")
                        .tag("method", method)
                        .tag("status", outcome)
                        .register(meters));
            }
        }
        exhausted.increment();
        LOG.warn("Storage unavailable for {} {}: {}", method, path, lastFailure);
        throw new StorageUnavailableException("storage did not answer");
    }

    /** One attempt on one instance: the current token, and while refused (401) each other one gate holds. */
    private HttpResponse<byte[]> sendPresentingEachToken(URI base, String method, String path,
                                                         Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = null;
        for (String credentialHeader : credential.headerValues()) {
            response = http.send(build(base, method, path, headers, body, timeout, credentialHeader),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 401) {
                break;
            }
        }
        return response;
    }

    private static boolean neverSent(IOException e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof ConnectException) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    private HttpRequest build(URI base, String method, String path, Map<String, String> headers, byte[] body,
                              Duration timeout, String credentialHeader) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json, application/problem+json")
                .header(StorageCredential.HEADER, credentialHeader);
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            builder.header(RequestIds.HEADER, requestId);
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
