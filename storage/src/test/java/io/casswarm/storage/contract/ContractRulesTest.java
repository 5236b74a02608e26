package io.casswarm.storage.contract;

import io.casswarm.common.contract.ContractCases;
import io.casswarm.common.contract.ContractCases.Case;
import io.casswarm.common.contract.ContractCases.Rule;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every case of common's {@link ContractCases} through storage's internal API. gate's
 * ContractRulesTest runs the same table through the public API: the same input gets the same
 * status from both services.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractRulesTest {

    @Inject
    EmbeddedServer server;

    private Api api;
    private String tenant;

    @BeforeAll
    void listedCollection() {
        api = new Api(server.getURI());
        tenant = "contract" + UUID.randomUUID().toString().substring(0, 8);
        Reply bulk = api.request("POST", collection("listed") + "/bulk")
                .body("application/json", ContractCases.bulkOf(ContractCases.LISTED_DOCUMENTS)).send();
        assertEquals(200, bulk.status(), () -> bulk.raw().body());
    }

    static List<Case> cases() {
        return ContractCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameAnswerAsGate(Case rule) {
        Reply reply = send(rule);
        assertEquals(rule.status(), reply.status(), () -> rule + ": " + reply.raw().body());
        if (rule.rule() == Rule.PAGE_SIZE && reply.status() == 200) {
            assertEquals(ContractCases.pageItems(rule), reply.json().get("items").size(), rule::toString);
        }
        if (reply.status() >= 400) {
            assertEquals("application/problem+json", reply.contentType(), rule::toString);
        }
    }

    private Reply send(Case rule) {
        String input = rule.input();
        return switch (rule.rule()) {
            case TENANT -> api.get("/internal/v1/users/" + encode(input));
            case COLLECTION -> api.get(collection(encode(input)) + "/documents?limit=1");
            case DOCUMENT_ID -> api.get(collection("notes") + "/documents/" + encode(input));
            case PAGE_SIZE -> api.get(collection("listed") + "/documents" + (input == null ? "" : "?limit=" + encode(input)));
            case IF_MATCH -> {
                String id = "m" + UUID.randomUUID();
                Reply created = api.post(collection("notes") + "/documents", java.util.Map.of("id", id, "body", java.util.Map.of()));
                assertEquals(201, created.status(), () -> created.raw().body());
                yield api.request("PUT", collection("notes") + "/documents/" + id)
                        .header("If-Match", rule.header(created.json().get("version").asLong()))
                        .body("application/json", "{\"body\":{\"changed\":true}}").send();
            }
            case BODY -> api.request("POST", collection("notes") + "/documents")
                    .body("application/json", "{\"body\":" + input + "}").send();
            case TTL -> api.request("POST", collection("notes") + "/documents")
                    .body("application/json", "{\"body\":{},\"ttlSeconds\":" + input + "}").send();
            case BULK -> api.request("POST", collection("notes") + "/bulk")
                    .body("application/json", ContractCases.bulkOf(rule.number())).send();
        };
    }

    private String collection(String name) {
        return "/internal/v1/tenants/" + tenant + "/collections/" + name;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
