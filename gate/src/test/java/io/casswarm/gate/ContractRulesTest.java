package io.casswarm.gate;

import io.casswarm.common.contract.ContractCases;
import io.casswarm.common.contract.ContractCases.Case;
import io.casswarm.common.contract.ContractCases.Rule;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every case of common's {@link ContractCases} through gate's public API, as a user (and, for
 * user names, as the administrator). storage's ContractRulesTest runs the same table through the
 * internal API: the same input gets the same status from both services.
 */
@MicronautTest
class ContractRulesTest extends GateTestBase {

    private static final String PASSWORD = "contract rules";

    private String admin;
    private String user;

    @BeforeAll
    void listedCollection() {
        admin = api().adminToken();
        user = api().token(api().newUser(admin, "contract", PASSWORD), PASSWORD);
        Api.Response bulk = api().postJson("/api/v1/collections/listed/bulk", user,
                ContractCases.bulkOf(ContractCases.LISTED_DOCUMENTS));
        assertEquals(200, bulk.status(), bulk::toString);
    }

    static List<Case> cases() {
        return ContractCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameAnswerAsStorage(Case rule) {
        Api.Response reply = send(rule);
        assertEquals(rule.status(), reply.status(), () -> rule + ": " + reply);
        if (rule.rule() == Rule.PAGE_SIZE && reply.status() == 200) {
            assertEquals(ContractCases.pageItems(rule), reply.json().get("items").size(), rule::toString);
        }
        if (reply.status() >= 400) {
            assertEquals("application/problem+json", reply.contentType(), rule::toString);
        }
    }

    private Api.Response send(Case rule) {
        String input = rule.input();
        return switch (rule.rule()) {
            case TENANT -> api().get("/api/v1/users/" + encode(input), admin);
            case COLLECTION -> api().get("/api/v1/collections/" + encode(input) + "/documents?limit=1", user);
            case DOCUMENT_ID -> api().get("/api/v1/collections/notes/documents/" + encode(input), user);
            case PAGE_SIZE -> api().get("/api/v1/collections/listed/documents"
                    + (input == null ? "" : "?limit=" + encode(input)), user);
            case IF_MATCH -> {
                String path = "/api/v1/collections/notes/documents/m" + UUID.randomUUID();
                Api.Response created = api().putJson(path, user, "{}", "If-None-Match", "*");
                assertEquals(201, created.status(), created::toString);
                yield api().putJson(path, user, "{\"changed\":true}",
                        "If-Match", rule.header(created.json().get("version").asLong()));
            }
            case BODY -> api().postJson("/api/v1/collections/notes/documents", user, input);
            case TTL -> api().postJson("/api/v1/collections/notes/documents?ttl=" + encode(input), user, "{}");
            case BULK -> api().postJson("/api/v1/collections/notes/bulk", user, ContractCases.bulkOf(rule.number()));
        };
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
