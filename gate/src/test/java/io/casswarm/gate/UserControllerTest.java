package io.casswarm.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class UserControllerTest extends GateTestBase {

    private static final String PASSWORD = "a fine password";

    private String adminToken;

    @BeforeAll
    void admin() {
        adminToken = api().adminToken();
    }

    @Test
    void theAdministratorCreatesListsShowsAndDisablesUsers() {
        String name = "carol" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api().postJson("/api/v1/users", adminToken,
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, created.status(), created::toString);
        assertEquals("/api/v1/users/" + name, created.header("Location"));
        assertEquals(name, created.json().path("username").asText());
        assertEquals("USER", created.json().path("role").asText());
        assertTrue(created.json().path("enabled").asBoolean());
        assertNull(created.json().get("passwordHash"), "never shows a hash");
        assertNull(created.json().get("password"));

        Api.Response list = api().get("/api/v1/users", adminToken);
        assertEquals(200, list.status());
        boolean listed = false;
        for (JsonNode user : list.json().path("items")) {
            listed |= name.equals(user.path("username").asText());
            assertNull(user.get("passwordHash"));
        }
        assertTrue(listed, "new user listed");

        Api.Response one = api().get("/api/v1/users/" + name, adminToken);
        assertEquals(200, one.status());
        assertNull(one.json().get("passwordHash"));

        String userToken = api().token(name, PASSWORD);
        assertEquals(200, api().get("/api/v1/session", userToken).status());

        Api.Response disabled = api().patch("/api/v1/users/" + name, adminToken, "{\"enabled\":false}");
        assertEquals(200, disabled.status(), disabled::toString);
        assertFalse(disabled.json().path("enabled").asBoolean());
        api().get("/api/v1/session", userToken).problem(401);
        api().get("/api/v1/collections/c/documents", userToken).problem(401);
        api().login(name, PASSWORD).problem(401);

        Api.Response enabled = api().send("PATCH", "/api/v1/users/" + name,
                headers(adminToken, "application/json"), "{\"enabled\":true}");
        assertEquals(200, enabled.status(), enabled::toString);
        assertEquals(200, api().get("/api/v1/session", api().token(name, PASSWORD)).status());
    }

    @Test
    void anAdministratorCanBeCreatedAndUsesTheUsersApi() {
        String name = "boss" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api().postJson("/api/v1/users", adminToken,
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"ADMIN\"}");
        assertEquals(201, created.status(), created::toString);
        assertEquals("ADMIN", created.json().path("role").asText());
        assertEquals(200, api().get("/api/v1/users", api().token(name, PASSWORD)).status());
    }

    @Test
    void aTakenNameIs409() {
        String name = api().newUser(adminToken, "dup", PASSWORD);
        api().postJson("/api/v1/users", adminToken, "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}")
                .problem(409);
        api().postJson("/api/v1/users", adminToken, "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                .problem(409);
    }

    @Test
    void badUsersAre400() {
        for (String body : new String[]{
                // The user name rule is the tenant's (Contract.TENANT): "Upper" and "ab" are names now.
                "{\"username\":\"" + "u".repeat(65) + "\",\"password\":\"" + PASSWORD + "\"}",
                "{\"username\":\".dot\",\"password\":\"" + PASSWORD + "\"}",
                "{\"username\":\"okname\",\"password\":\"short\"}",
                "{\"username\":\"okname\"}",
                "{\"username\":\"okname\",\"password\":\"" + "x".repeat(100) + "\"}",
                "{\"username\":\"okname\",\"password\":\"" + PASSWORD + "\",\"role\":\"ROOT\"}",
                "{\"username\":\"../etc\",\"password\":\"" + PASSWORD + "\"}",
                "{\"username\":[],\"password\":\"" + PASSWORD + "\"}",
                "not json"}) {
            Api.Response response = api().postJson("/api/v1/users", adminToken, body);
            response.problem(400);
        }
        api().patch("/api/v1/users/admin", adminToken, "{\"enabled\":false}").problem(409);
        api().patch("/api/v1/users/admin", adminToken, "{}").problem(400);
    }

    @Test
    void unknownUsersAre404() {
        api().get("/api/v1/users/nobody" + UUID.randomUUID().toString().substring(0, 8), adminToken).problem(404);
        // "NOT..valid" follows the user name rule (Contract.TENANT), so it is simply not found;
        // a name breaking the rule is refused before storage is asked.
        api().get("/api/v1/users/NOT..valid", adminToken).problem(404);
        api().get("/api/v1/users/-not-a-name", adminToken).problem(400);
        api().patch("/api/v1/users/nobody" + UUID.randomUUID().toString().substring(0, 8), adminToken,
                "{\"enabled\":false}").problem(404);
    }

    @Test
    void onlyTheAdministratorManagesUsers() {
        String name = api().newUser(adminToken, "plain", PASSWORD);
        String token = api().token(name, PASSWORD);
        api().get("/api/v1/users", token).problem(403);
        api().postJson("/api/v1/users", token, "{\"username\":\"sneaky\",\"password\":\"" + PASSWORD + "\"}").problem(403);
        api().patch("/api/v1/users/" + name, token, "{\"enabled\":false}").problem(403);
        api().get("/api/v1/users", null).problem(401);
        api().postJson("/api/v1/users", null, "{\"username\":\"sneaky\",\"password\":\"" + PASSWORD + "\"}").problem(401);
    }

    private static java.util.Map<String, String> headers(String token, String contentType) {
        java.util.Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", contentType);
        return headers;
    }
}
