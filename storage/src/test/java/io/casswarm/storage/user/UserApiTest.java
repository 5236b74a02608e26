package io.casswarm.storage.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users API gate relies on: storage keeps the hash it is given, never a password. */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
class UserApiTest {

    private static final String USERS = "/internal/v1/users";

    @Inject
    EmbeddedServer server;

    Api api;
    String name;

    @BeforeEach
    void setUp() {
        api = new Api(server.getURI());
        name = "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReadListDisable() {
        Reply created = api.post(USERS, Map.of("username", name, "passwordHash", "$argon2id$v=19$abc", "role", "USER"));
        assertEquals(201, created.status(), () -> created.raw().body());
        assertEquals(USERS + "/" + name, created.header("Location"));
        assertFalse(created.json().has("passwordHash"));
        assertTrue(created.json().get("enabled").asBoolean());

        Reply read = api.get(USERS + "/" + name);
        assertEquals(200, read.status());
        assertEquals("$argon2id$v=19$abc", read.json().get("passwordHash").asText());
        assertEquals("USER", read.json().get("role").asText());
        assertTrue(read.json().get("createdAt").isTextual());

        Reply list = api.get(USERS);
        assertEquals(200, list.status());
        JsonNode mine = null;
        for (JsonNode user : list.json().get("items")) {
            assertFalse(user.has("passwordHash"), "listings never carry hashes");
            if (user.get("username").asText().equals(name)) {
                mine = user;
            }
        }
        assertEquals("USER", mine.get("role").asText());

        Reply disabled = api.request("PATCH", USERS + "/" + name).json(Map.of("enabled", false)).send();
        assertEquals(200, disabled.status());
        assertFalse(disabled.json().get("enabled").asBoolean());
        assertFalse(api.get(USERS + "/" + name).json().get("enabled").asBoolean());
    }

    @Test
    void passwordHashIsReplacedAndNothingElse() {
        api.post(USERS, Map.of("username", name, "passwordHash", "old-hash", "role", "ADMIN"));
        Reply rotated = api.request("PATCH", USERS + "/" + name).json(Map.of("passwordHash", "new-hash")).send();
        assertEquals(200, rotated.status(), () -> rotated.raw().body());
        assertFalse(rotated.json().has("passwordHash"), "answers never carry hashes");
        JsonNode stored = api.get(USERS + "/" + name).json();
        assertEquals("new-hash", stored.get("passwordHash").asText());
        assertTrue(stored.get("enabled").asBoolean(), "enabled untouched");
        assertEquals(400, api.request("PATCH", USERS + "/" + name).json(Map.of("passwordHash", " ")).send().status());
        assertEquals("new-hash", api.get(USERS + "/" + name).json().get("passwordHash").asText());
    }

    @Test
    void usernamesAreCreateOnly() {
        api.post(USERS, Map.of("username", name, "passwordHash", "h1", "role", "ADMIN"));
        Reply again = api.post(USERS, Map.of("username", name, "passwordHash", "h2", "role", "USER"));
        assertEquals(409, again.status());
        assertEquals("application/problem+json", again.contentType());
        assertEquals("h1", api.get(USERS + "/" + name).json().get("passwordHash").asText());
    }

    @Test
    void rulesAndMissingUsers() {
        assertEquals(404, api.get(USERS + "/" + name).status());
        assertEquals(404, api.request("PATCH", USERS + "/" + name).json(Map.of("enabled", true)).send().status());
        assertEquals(400, api.post(USERS, Map.of("username", "bad name", "passwordHash", "h", "role", "USER")).status());
        assertEquals(400, api.post(USERS, Map.of("username", name, "passwordHash", "", "role", "USER")).status());
        assertEquals(400, api.post(USERS, Map.of("username", name, "passwordHash", "h")).status());
        assertEquals(400, api.post(USERS, Map.of("username", name, "passwordHash", "h", "role", "ROOT")).status());
        assertEquals(400, api.request("PATCH", USERS + "/" + name).json(Map.of()).send().status());
        assertEquals(404, api.get(USERS + "/" + name).status(), "nothing was created by the refused requests");
    }
}
