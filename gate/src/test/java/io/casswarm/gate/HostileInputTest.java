package io.casswarm.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of malformed and hostile requests: bad JSON, wrong types, huge bodies, bad ids and
 * names, bad cursors, bad headers, injection strings, missing or forged authentication. Each one
 * must be a 4xx problem+json (never a 5xx), and afterwards the data must be as it was.
 */
@MicronautTest
class HostileInputTest extends GateTestBase {

    private static final String PASSWORD = "hostile password";

    /** One hostile request. */
    private record Attack(String what, String method, String path, Map<String, String> headers, byte[] body) {
    }

    @Test
    void everyHostileRequestIsA4xxProblemAndChangesNothing() {
        String admin = api().adminToken();
        String victimName = api().newUser(admin, "victim", PASSWORD);
        String victim = api().token(victimName, PASSWORD);
        String other = api().token(api().newUser(admin, "other", PASSWORD), PASSWORD);
        String docs = "/api/v1/collections/hostile/documents";
        String target = docs + "/target";
        assertEquals(201, api().putJson(target, victim, "{\"status\":\"open\",\"n\":1}", "If-None-Match", "*").status());
        assertEquals(201, api().postJson(docs, victim, "{\"status\":\"closed\"}").status());
        String before = snapshot(victim, admin, docs);

        List<Attack> attacks = new ArrayList<>();
        Consumer<Attack> add = attacks::add;
        String[] badJson = {"{", "}", "[", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":NaN}",
                "{\"a\":Infinity}", "{\"a\":undefined}", "{\"a\":01}", "{\"a\":\"\u0001\"}", "nul", "tru",
                "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1,\"a\":2}", "", "   ", "\"text\"", "42",
                "null", "true", "[]", "[{}]", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "/* c */ {}", "{\"a\":1e99999}",
                "{" + "\"a\":{".repeat(2000) + "}".repeat(2001), "[".repeat(3000) + "]".repeat(3000),
                "{\"a\":" + "{\"b\":".repeat(40) + "1" + "}".repeat(41),
                "\uFEFF{\"bom\":true}x", "{\"a\":1,\"a\":{\"a\":1}}", "{\"\":1,\"\":2}"};
        for (String body : badJson) {
            add.accept(json("bad JSON POST " + abbreviate(body), "POST", docs, victim, body));
            add.accept(json("bad JSON PUT " + abbreviate(body), "PUT", target, victim, body));
            add.accept(patch("bad JSON PATCH " + abbreviate(body), target, victim, body));
        }
        add.accept(new Attack("invalid UTF-8", "POST", docs, headers(victim, "application/json"),
                new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
        add.accept(new Attack("invalid UTF-8 in key", "PUT", target, headers(victim, "application/json"),
                new byte[]{'{', '"', (byte) 0xc3, '"', ':', '1', '}'}));

        String[] wrongTypes = {"{\"documents\":{}}", "{\"documents\":\"x\"}", "{\"documents\":5}", "{\"documents\":null}",
                "{\"documents\":[1]}", "{\"documents\":[\"x\"]}", "{\"documents\":[{\"id\":5,\"body\":{}}]}",
                "{\"documents\":[{\"body\":\"x\"}]}", "{\"documents\":[{\"body\":null}]}", "{\"documents\":[{}]}",
                "{\"documents\":[{\"body\":{},\"ttlSeconds\":\"10\"}]}", "{\"documents\":[{\"body\":{},\"ttlSeconds\":1.5}]}",
                "{\"documents\":[{\"body\":{},\"ttlSeconds\":-1}]}", "{\"documents\":[{\"body\":{},\"ttlSeconds\":99999999999}]}",
                "{\"documents\":[{\"body\":{},\"extra\":1}]}", "{\"documents\":[{\"id\":\"a\",\"body\":{}},{\"id\":\"a\",\"body\":{}}]}",
                "{\"documents\":[{\"id\":\"../x\",\"body\":{}}]}", "{\"documents\":[{\"id\":\"target\",\"body\":[]}]}",
                "{\"docs\":[]}", "{\"documents\":[],\"more\":1}", "[]"};
        for (String body : wrongTypes) {
            add.accept(json("bulk " + abbreviate(body), "POST", "/api/v1/collections/hostile/bulk", victim, body));
        }
        String[] badLogins = {"{\"username\":1,\"password\":2}", "{\"username\":[\"a\"],\"password\":\"x\"}",
                "{\"username\":{\"$ne\":null},\"password\":{\"$ne\":null}}", "{\"username\":\"admin\"}",
                "{\"password\":\"x\"}", "{\"username\":null,\"password\":null}", "{}", "[]", "\"admin\"",
                "{\"username\":\"admin' OR '1'='1\",\"password\":\"' OR '1'='1\"}",
                "{\"username\":\"admin\\u0000\",\"password\":\"x\"}", "{\"username\":\"" + "a".repeat(5000) + "\",\"password\":\"x\"}",
                "{\"username\":\"" + victimName + "\",\"password\":\"" + "p".repeat(300) + "\"}"};
        for (String body : badLogins) {
            add.accept(json("login " + abbreviate(body), "POST", "/api/v1/session", null, body));
        }
        String[] badUsers = {"{\"username\":\"evil\",\"password\":12345678}", "{\"username\":\"evil\",\"password\":\"12345678\",\"role\":1}",
                "{\"username\":\"evil\",\"password\":\"12345678\",\"role\":\"root\"}", "{\"username\":\"Robert'); DROP TABLE users;--\",\"password\":\"12345678\"}",
                "{\"username\":\"<script>\",\"password\":\"12345678\"}", "{\"username\":\"evil\",\"password\":null}",
                "{\"username\":\"" + victimName + "\",\"password\":\"12345678\"}", "{\"username\":\"admin\",\"password\":\"12345678\"}"};
        for (String body : badUsers) {
            add.accept(json("user " + abbreviate(body), "POST", "/api/v1/users", admin, body));
        }
        for (String body : new String[]{"{\"enabled\":\"false\"}", "{\"enabled\":0}", "{\"enabled\":null}", "{}", "[]", "{\"enabled\":[false]}"}) {
            add.accept(json("user patch " + body, "PATCH", "/api/v1/users/" + victimName, admin, body));
        }

        byte[] huge = ("{\"x\":\"" + "y".repeat(9 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] large = ("{\"x\":\"" + "y".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        add.accept(new Attack("huge body POST", "POST", docs, headers(victim, "application/json"), huge));
        add.accept(new Attack("huge body PUT", "PUT", target, headers(victim, "application/json"), huge));
        add.accept(new Attack("huge body PATCH", "PATCH", target, headers(victim, "application/merge-patch+json"), huge));
        add.accept(new Attack("huge bulk", "POST", "/api/v1/collections/hostile/bulk", headers(victim, "application/json"), huge));
        add.accept(new Attack("huge login", "POST", "/api/v1/session", headers(null, "application/json"), huge));
        add.accept(new Attack("large document POST", "POST", docs, headers(victim, "application/json"), large));
        add.accept(new Attack("large document PUT", "PUT", target, headers(victim, "application/json"), large));
        add.accept(new Attack("large merge patch", "PATCH", target, headers(victim, "application/merge-patch+json"), large));
        add.accept(json("large bulk item", "POST", "/api/v1/collections/hostile/bulk", victim,
                "{\"documents\":[{\"body\":" + new String(large, StandardCharsets.UTF_8) + "}]}"));

        String[] badIds = {"..", ".", "-x", "_x", "%2e%2e", "a%2Fb", "a%00b", "a%20b", "%3Cscript%3E", "a'b", "a%22b",
                "%C3%A9t%C3%A9", "x".repeat(129), "a;b", "a,b", "a*b", "a%5Cb", "%F0%9F%98%80", "a%0Ab", "a%09b"};
        for (String id : badIds) {
            add.accept(get("bad id GET " + abbreviate(id), docs + "/" + id, victim));
            add.accept(json("bad id PUT " + abbreviate(id), "PUT", docs + "/" + id, victim, "{}"));
            add.accept(new Attack("bad id DELETE " + abbreviate(id), "DELETE", docs + "/" + id, Api.auth(victim), null));
        }
        String[] badCollections = {"-x", "_x", "a.b", "a%2Fb", "a%00", "%2e%2e", "x".repeat(65), "a'b", "%3Cb%3E", "a%20b"};
        for (String collection : badCollections) {
            add.accept(get("bad collection list " + abbreviate(collection), "/api/v1/collections/" + collection + "/documents", victim));
            add.accept(json("bad collection POST " + abbreviate(collection), "POST",
                    "/api/v1/collections/" + collection + "/documents", victim, "{}"));
        }
        String[] badQueries = {"cursor=!!!", "cursor=%00", "cursor=" + "A".repeat(3000), "cursor=bm9wZQ", "cursor=djE6Li4v",
                "cursor=", "limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=1e3", "limit=99999999999",
                "limit=1&limit=2", "status=a&status=b", "a%00=1", "%24where=1", "a%20b=1", "a'=1",
                "%3Cscript%3E=1", "x%3BDROP=1", ".x=1", "-x=1", "a=" + "b".repeat(300), "a=1&b=1&c=1&d=1&e=1&f=1",
                "cursor=%27%20OR%201%3D1"};
        for (String query : badQueries) {
            add.accept(get("bad query " + abbreviate(query), docs + "?" + query, victim));
        }
        String[] badIfMatch = {"\"", "W/", "\"1\", \"2\"", "abc", "1", "\"1", "1\"", "\"1\"x", "\"1\" \"2\"", "\"a\"b\"",
                "W/\"1\"", "\"0\"", "\"-1\"", "\"abc\"", "\"99999999999999999999\""};
        for (String value : badIfMatch) {
            add.accept(withHeader(json("If-Match " + value, "PUT", target, victim, "{\"changed\":true}"), "If-Match", value));
            add.accept(withHeader(patch("If-Match PATCH " + value, target, victim, "{\"changed\":true}"), "If-Match", value));
            add.accept(withHeader(new Attack("If-Match DELETE " + value, "DELETE", target, Api.auth(victim), null), "If-Match", value));
        }
        for (String value : new String[]{"\"1\"", "W/\"1\"", "abc", "\"*\""}) {
            add.accept(withHeader(json("If-None-Match PUT " + value, "PUT", target, victim, "{\"changed\":true}"),
                    "If-None-Match", value));
        }
        add.accept(withHeader(withHeader(json("If-Match with If-None-Match", "PUT", target, victim, "{}"), "If-Match", "\"1\""),
                "If-None-Match", "*"));
        add.accept(withHeader(json("PUT If-None-Match * on existing", "PUT", target, victim, "{\"changed\":true}"), "If-None-Match", "*"));
        String[] badContentTypes = {"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/javascript", "image/png", "nonsense", "application/json-patch+json"};
        for (String type : badContentTypes) {
            add.accept(new Attack("content type POST " + type, "POST", docs, headers(victim, type), "{}".getBytes(StandardCharsets.UTF_8)));
            add.accept(new Attack("content type PATCH " + type, "PATCH", target, headers(victim, type), "{}".getBytes(StandardCharsets.UTF_8)));
        }
        add.accept(new Attack("PATCH as application/json", "PATCH", target, headers(victim, "application/json"),
                "{\"changed\":true}".getBytes(StandardCharsets.UTF_8)));
        add.accept(new Attack("Accept xml", "GET", target, withAccept(victim, "application/xml"), null));

        String[] forgedTokens = {"", "x", "' OR '1'='1", "../../etc/passwd", "a".repeat(7000), "null", "undefined",
                "00000000-0000-0000-0000-000000000000", "*", "%00", "admin", "{\"username\":\"admin\"}"};
        for (String token : forgedTokens) {
            add.accept(get("forged token " + abbreviate(token), docs, token.isEmpty() ? null : token));
            add.accept(json("forged token POST " + abbreviate(token), "POST", docs, token.isEmpty() ? null : token, "{}"));
        }
        for (String cookie : new String[]{"__Host-SESSION=!!!", "__Host-SESSION=" + "A".repeat(5000), "__Host-SESSION=bm9wZQ==", "__Host-SESSION=", "__Host-SESSION=%00"}) {
            add.accept(new Attack("cookie " + abbreviate(cookie), "GET", docs, Map.of("Cookie", cookie), null));
        }
        add.accept(new Attack("basic auth is not accepted", "GET", docs,
                Map.of("Authorization", "Basic YWRtaW46" + "cGFzc3dvcmQ="), null));
        add.accept(new Attack("bearer is not accepted", "GET", docs, Map.of("Authorization", "Bearer xyz"), null));
        for (String[] request : new String[][]{{"GET", "/api/v1/session"}, {"DELETE", "/api/v1/session"}, {"GET", "/api/v1/users"},
                {"POST", "/api/v1/users"}, {"GET", "/api/v1/users/admin"}, {"PATCH", "/api/v1/users/admin"}, {"GET", docs},
                {"POST", docs}, {"GET", target}, {"PUT", target}, {"PATCH", target}, {"DELETE", target},
                {"POST", "/api/v1/collections/hostile/bulk"}}) {
            String type = request[0].equals("PATCH") ? "application/merge-patch+json" : "application/json";
            add.accept(new Attack("no auth " + request[0] + " " + request[1], request[0], request[1],
                    request[0].equals("GET") || request[0].equals("DELETE") ? Map.of() : headers(null, type),
                    request[0].equals("GET") || request[0].equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8)));
        }
        for (String[] request : new String[][]{{"GET", "/api/v1/users"}, {"POST", "/api/v1/users"}, {"PATCH", "/api/v1/users/" + victimName}}) {
            add.accept(json("not admin " + request[0] + " " + request[1], request[0], request[1], victim,
                    request[0].equals("GET") ? null : "{\"username\":\"x1234\",\"password\":\"12345678\",\"enabled\":false}"));
        }
        add.accept(get("other tenant GET", target, other));
        add.accept(json("other tenant PUT", "PUT", target, other, "{\"stolen\":true}"));
        add.accept(patch("other tenant PATCH", target, other, "{\"stolen\":true}"));
        add.accept(new Attack("other tenant DELETE", "DELETE", target, Api.auth(other), null));
        for (String method : new String[]{"TRACE", "OPTIONS"}) {
            add.accept(new Attack("method " + method, method, docs, Api.auth(victim), null));
        }
        add.accept(new Attack("DELETE a collection", "DELETE", docs, Api.auth(victim), null));
        add.accept(new Attack("POST to a document", "POST", target, headers(victim, "application/json"), "{}".getBytes(StandardCharsets.UTF_8)));
        add.accept(get("unknown path", "/api/v1/collections", victim));
        add.accept(get("unknown path 2", "/api/v2/collections/hostile/documents", victim));
        add.accept(get("traversal", "/api/v1/collections/hostile/documents/..%2F..%2Fusers", victim));

        assertTrue(attacks.size() >= 200, "only " + attacks.size() + " attacks");
        List<String> wrong = new ArrayList<>();
        for (Attack attack : attacks) {
            Api.Response response = api().sendBytes(attack.method(), attack.path(), attack.headers(), attack.body());
            String type = response.contentType() == null ? "" : response.contentType().split(";")[0].strip();
            boolean ok = response.status() >= 400 && response.status() < 500 && "application/problem+json".equals(type);
            if (ok) {
                JsonNode problem = response.json();
                ok = problem.path("status").asInt() == response.status() && problem.hasNonNull("type");
            }
            if (!ok) {
                wrong.add(attack.what() + " -> " + response);
            }
        }
        assertEquals(List.of(), wrong, attacks.size() + " attacks; these were not a 4xx problem+json");
        assertEquals(before, snapshot(victim, admin, docs), "data unchanged");
        assertEquals(0, api().get(docs, other).json().path("items").size(), "nothing reached the other tenant");
    }

    private String snapshot(String victim, String admin, String docs) {
        StringBuilder state = new StringBuilder();
        for (JsonNode item : api().get(docs + "?limit=100", victim).json().path("items")) {
            state.append(item.path("id").asText()).append('@').append(item.path("version").asLong())
                    .append(item.path("body")).append('\n');
        }
        for (JsonNode item : api().get("/api/v1/collections/hostile/documents?limit=100", victim).json().path("items")) {
            state.append(item.path("id").asText()).append('\n');
        }
        for (JsonNode user : api().get("/api/v1/users", admin).json().path("items")) {
            state.append(user.path("username").asText()).append(':').append(user.path("enabled").asBoolean())
                    .append(':').append(user.path("role").asText()).append('\n');
        }
        return state.toString();
    }

    private static Attack json(String what, String method, String path, String token, String body) {
        return new Attack(what, method, path, headers(token, "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static Attack patch(String what, String path, String token, String body) {
        return new Attack(what, "PATCH", path, headers(token, "application/merge-patch+json"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static Attack get(String what, String path, String token) {
        return new Attack(what, "GET", path, Api.auth(token), null);
    }

    private static Attack withHeader(Attack attack, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(attack.headers());
        headers.put(name, value);
        return new Attack(attack.what(), attack.method(), attack.path(), headers, attack.body());
    }

    private static Map<String, String> headers(String token, String contentType) {
        Map<String, String> headers = Api.auth(token);
        headers.put("Content-Type", contentType);
        return headers;
    }

    private static Map<String, String> withAccept(String token, String accept) {
        Map<String, String> headers = Api.auth(token);
        headers.put("Accept", accept);
        return headers;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
