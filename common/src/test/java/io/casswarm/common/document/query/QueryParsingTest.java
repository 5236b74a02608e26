package io.casswarm.common.document.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public filter and projection syntax and the index rules of a query, without a server. */
class QueryParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBareValueIsEqualityAndOperatorsKeepTheirOrder() {
        List<Condition> conditions = WhereSyntax.parse(
                "{\"status\":\"open\",\"price\":{\"$gte\":10,\"$lt\":20},\"tags\":{\"$in\":[\"a\",\"b\"]},\"due\":{\"$exists\":true}}");
        assertEquals(5, conditions.size());
        assertEquals(new Condition("status", Operator.EQ, List.of(JSON.getNodeFactory().textNode("open"))), conditions.get(0));
        assertEquals(Operator.GTE, conditions.get(1).op());
        assertEquals(Operator.LT, conditions.get(2).op());
        assertEquals("price", conditions.get(2).path());
        assertEquals(2, conditions.get(3).values().size());
        assertEquals(Operator.EXISTS, conditions.get(4).op());
        new DocumentQuery(conditions, null, null, null).check();
    }

    @Test
    void noWhereIsNoCondition() {
        assertTrue(WhereSyntax.parse(null).isEmpty());
        assertTrue(WhereSyntax.parse("  ").isEmpty());
        assertTrue(WhereSyntax.parse("{}").isEmpty());
    }

    @Test
    void aFieldMayBeNamedLikeAListingParameter() {
        List<Condition> conditions = WhereSyntax.parse("{\"limit\":3,\"cursor\":\"x\"}");
        assertEquals(List.of("limit", "cursor"), conditions.stream().map(Condition::path).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "1", "\"open\"", "{", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", "{\"a\":{}}",
            "{\"a\":{\"$regex\":\"x\"}}", "{\"a\":{\"gt\":1}}", "{\"a\":{\"$in\":1}}"})
    void whatIsNotTheSyntaxIs400(String where) {
        assertEquals(400, assertThrows(ProblemException.class, () -> WhereSyntax.parse(where)).problem().status(), where);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"n\":{\"$gt\":1},\"m\":{\"$lt\":2}}",          // ranges on two paths
            "{\"n\":{\"$gt\":1,\"$gte\":2}}",                  // two lower bounds
            "{\"a\":{\"$in\":[1]},\"b\":{\"$in\":[2]}}",         // two $in
            "{\"a\":{\"$in\":[]}}",                            // empty $in
            "{\"a\":{\"$exists\":false}}",                     // no index of absent fields
            "{\"a..b\":1}", "{\"a b\":1}", "{\"a.b.c.d.e.f.g.h.i\":1}",
            "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1}"})
    void whatNoIndexCanServeIs400(String where) {
        DocumentQuery query = new DocumentQuery(WhereSyntax.parse(where), null, null, null);
        assertEquals(400, assertThrows(ProblemException.class, query::check).problem().status(), where);
    }

    @Test
    void aProjectionKeepsOnlyItsPaths() throws Exception {
        assertNull(Projection.parse(null));
        assertNull(Projection.parse(" "), "blank is no projection");
        Projection projection = Projection.parse("title,address.city");
        assertEquals(List.of("title", "address.city"), projection.paths());
        ObjectNode body = (ObjectNode) JSON.readTree(
                "{\"title\":\"t\",\"n\":1,\"address\":{\"city\":\"Lyon\",\"zip\":\"69001\"}}");
        assertEquals(JSON.readTree("{\"title\":\"t\",\"address\":{\"city\":\"Lyon\"}}"), projection.apply(body));
        for (String bad : new String[]{",", "a,,b", "a..b", "a b"}) {
            assertEquals(400, assertThrows(ProblemException.class, () -> Projection.parse(bad)).problem().status(), bad);
        }
    }
}
