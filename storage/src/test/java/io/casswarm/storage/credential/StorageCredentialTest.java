package io.casswarm.storage.credential;

import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * storage answers only a caller presenting the storage credential: here both token files are
 * real files (as on the swarm, mid-rotation: the current and the previous token), and every
 * request without a valid one is a 401 problem that changes nothing. The management port serves
 * liveness and readiness to anyone, everything else there only with the credential.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCredentialTest implements TestPropertyProvider {

    private static final String USERS = "/internal/v1/users";
    private static final String CURRENT = "current-" + UUID.randomUUID();
    private static final String PREVIOUS = "previous-" + UUID.randomUUID();

    @Inject
    EmbeddedServer server;

    Api api;
    Api management;
    String name;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "casswarm.storage-credential.token-file", tokenFile(CURRENT).toString(),
                "casswarm.storage-credential.previous-token-file", tokenFile(PREVIOUS).toString());
    }

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        management = new Api(Api.managementUri(server));
        name = "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void withoutACredentialNothingIsReadOrWritten() {
        Reply created = api.request("POST", USERS).credential(bearer(CURRENT)).json(user()).send();
        assertEquals(201, created.status(), () -> created.raw().body());

        Reply read = api.request("GET", USERS + "/" + name).credential(null).send();
        assertRefused(read);
        Reply listed = api.request("GET", USERS).credential(null).send();
        assertRefused(listed);
    }

    @Test
    void aWrongTokenChangesNothing() {
        for (String wrong : new String[]{null, bearer("not-the-token"), bearer(CURRENT + "x"), "Basic " + CURRENT,
                bearer(""), CURRENT}) {
            Reply attempt = api.request("POST", USERS).credential(wrong).json(user()).send();
            assertRefused(attempt);
        }
        Reply read = api.request("GET", USERS + "/" + name).credential(bearer(CURRENT)).send();
        assertEquals(404, read.status(), "no refused write created the user");
    }

    @Test
    void thePreviousTokenIsAcceptedDuringARotation() {
        Reply created = api.request("POST", USERS).credential(bearer(PREVIOUS)).json(user()).send();
        assertEquals(201, created.status(), () -> created.raw().body());
        Reply read = api.request("GET", USERS + "/" + name).credential("bearer " + CURRENT).send();
        assertEquals(200, read.status(), "the scheme is case-insensitive (RFC 9110)");
    }

    @Test
    void probesAreOpenAndHealthDetailsAreNot() {
        assertEquals(200, management.request("GET", "/health/liveness").credential(null).send().status());
        assertEquals(200, management.request("GET", "/health/readiness").credential(null).send().status());
        assertRefused(management.request("GET", "/health").credential(null).send());

        Reply health = management.request("GET", "/health").credential(bearer(CURRENT)).send();
        assertEquals(200, health.status(), () -> health.raw().body());
        assertEquals("UP", health.json().at("/details/cassandra/status").asText());

        Reply onThePublicPort = api.request("GET", "/health").credential(bearer(CURRENT)).send();
        assertEquals(404, onThePublicPort.status(), "health is served on the management port only");
    }

    private static void assertRefused(Reply reply) {
        assertEquals(401, reply.status(), () -> reply.raw().body());
        assertEquals("application/problem+json", reply.contentType());
        String challenge = reply.header("WWW-Authenticate");
        assertNotNull(challenge);
        assertTrue(challenge.startsWith("Bearer"), challenge);
        assertEquals("/problems/unauthorized", reply.json().get("type").asText());
    }

    private Map<String, Object> user() {
        return Map.of("username", name, "passwordHash", "$argon2id$v=19$abc", "role", "ADMIN");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static Path tokenFile(String token) {
        try {
            Path file = Files.createTempFile("storage-token", ".secret");
            Files.writeString(file, token + "\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
