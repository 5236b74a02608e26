package io.casswarm.gate.storage;

import com.sun.net.httpserver.HttpServer;
import io.casswarm.common.http.StorageCredential;
import io.casswarm.common.http.StorageCredentialSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * gate's side of a storage_token rotation, against a real HTTP listener standing in for storage's
 * credential check (no container: only the header matters here). A gate whose token file was
 * rotated under it is refused once, reads the file again and is answered; a gate holding the new
 * token meets a storage that knows only the old one and is answered with its previous token; a
 * token storage never accepts ends in 503 (StorageUnavailableException), never in the caller
 * seeing storage's 401.
 */
class StorageCredentialRotationTest {

    private HttpServer storage;
    private final AtomicReference<String> accepted = new AtomicReference<>();
    private final List<String> presented = new CopyOnWriteArrayList<>();
    private Path tokenFile;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", exchange -> {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            presented.add(String.valueOf(header));
            int status = ("Bearer " + accepted.get()).equals(header) ? 200 : 401;
            byte[] body = (status == 200 ? "{}" : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        storage.start();
        tokenFile = Files.createTempFile("gate-storage-token", ".secret");
    }

    @AfterEach
    void stop() throws IOException {
        if (http != null) {
            http.close();
        }
        storage.stop(0);
        Files.deleteIfExists(tokenFile);
    }

    private StorageClient client() {
        return client(null);
    }

    private StorageClient client(Path previousTokenFile) {
        StorageSettings settings = new StorageSettings("127.0.0.1", storage.getAddress().getPort(), 9090,
                Duration.ofSeconds(5), Duration.ofSeconds(25), 3, Duration.ofSeconds(1));
        // As application.yml configures gate's storage client: an error status is an answer.
        DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setExceptionOnErrorStatus(false);
        http = HttpClient.create(null, configuration);
        return new StorageClient(new StorageInstances(settings), settings,
                new StorageCredential(new StorageCredentialSettings(tokenFile, previousTokenFile, false)),
                new SimpleMeterRegistry(), http);
    }

    @Test
    void aNewGateMeetingAStorageNotYetRestartedPresentsThePreviousToken() throws IOException {
        // Step 1 of a rotation: this gate started with the new token, storage still knows only the old.
        Files.writeString(tokenFile, "new\n");
        Path previousFile = Files.createTempFile("gate-storage-token-previous", ".secret");
        try {
            Files.writeString(previousFile, "old\n");
            accepted.set("old");
            StorageResponse answer = client(previousFile).send("POST", "/internal/v1/users",
                    Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8), false);
            assertEquals(200, answer.status());
            assertEquals(List.of("Bearer new", "Bearer old"), presented, "the new token, then the previous one");
        } finally {
            Files.deleteIfExists(previousFile);
        }
    }

    @Test
    void aRotatedTokenIsReadAgainAfterOneRefusal() throws IOException {
        Files.writeString(tokenFile, "old\n");
        StorageClient client = client();
        accepted.set("old");
        assertEquals(200, client.send("GET", "/internal/v1/users/admin", Map.of(), null, false).status());

        Files.writeString(tokenFile, "new\n");
        accepted.set("new");
        presented.clear();
        StorageResponse answer = client.send("POST", "/internal/v1/users", Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(200, answer.status());
        assertEquals(List.of("Bearer old", "Bearer new"), presented, "refused once, then the re-read token");
    }

    @Test
    void aTokenStorageNeverAcceptsIsUnavailableNotUnauthorized() throws IOException {
        Files.writeString(tokenFile, "wrong\n");
        accepted.set("right");
        StorageClient client = client();
        assertThrows(StorageUnavailableException.class,
                () -> client.send("GET", "/internal/v1/users/admin", Map.of(), null, true));
        assertEquals(3, presented.size(), "every attempt was tried, none more: " + presented);
    }
}
