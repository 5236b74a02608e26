package io.casswarm.common.document.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The public filter syntax: one {@code where} query parameter holding a JSON object, in the
 * style of Stargate's Documents API and CouchDB's Mango. Every member is a path and what it
 * must satisfy; all members must hold.
 * <pre>
 * {"status": "open"}                                   shorthand for {"status": {"$eq": "open"}}
 * {"price": {"$gte": 10, "$lt": 20}}                   numbers
 * {"name": {"$gt": "m"}}                               strings (UTF-8 byte order)
 * {"due": {"$lt": "2026-01-01T00:00:00Z"}}             timestamps (ISO-8601 strings with an offset)
 * {"tags": {"$in": ["red", "blue"]}}                   any of the values (also matches array elements)
 * {"address.city": {"$exists": true}}                  dotted paths into nested objects
 * </pre>
 * Filters live inside {@code where}, so a document field may be called {@code limit} or
 * {@code cursor} without colliding with the listing's own parameters.
 */
public final class WhereSyntax {

    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private WhereSyntax() {
    }

    /**
     * The conditions of a {@code where} parameter (null or blank: none); 400 when it is not the
     * syntax. What an index can serve is for {@link DocumentQuery#check()} to say, in storage.
     */
    public static List<Condition> parse(@Nullable String where) {
        if (where == null || where.isBlank()) {
            return List.of();
        }
        if (where.length() > 8192) {
            throw invalid("where is longer than 8192 characters");
        }
        JsonNode root;
        try {
            root = READER.readTree(where);
        } catch (JsonProcessingException e) {
            throw invalid("where is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw invalid("where must be a JSON object such as {\"status\":\"open\"}");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> members = object.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            String path = member.getKey();
            JsonNode test = member.getValue();
            if (!(test instanceof ObjectNode operators)) {
                conditions.add(new Condition(path, Operator.EQ, List.of(test)));
                continue;
            }
            if (operators.isEmpty()) {
                throw invalid(path + ": give an operator ($eq, $gt, $gte, $lt, $lte, $in, $exists)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = operators.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                Operator operator;
                try {
                    operator = Operator.of(op.getKey());
                } catch (IllegalArgumentException e) {
                    throw invalid(path + ": unknown operator " + op.getKey()
                            + " (use $eq, $gt, $gte, $lt, $lte, $in, $exists)");
                }
                if (!op.getKey().startsWith("$")) {
                    throw invalid(path + ": operators start with $, e.g. $" + op.getKey()
                            + " (to match an object value, use dotted paths)");
                }
                if (operator == Operator.IN) {
                    if (!(op.getValue() instanceof ArrayNode values)) {
                        throw invalid(path + " $in takes an array of values");
                    }
                    List<JsonNode> list = new ArrayList<>();
                    values.forEach(list::add);
                    conditions.add(new Condition(path, operator, list));
                } else {
                    conditions.add(new Condition(path, operator, List.of(op.getValue())));
                }
            }
        }
        return conditions;
    }

    private static ProblemException invalid(String detail) {
        return Contract.invalid(detail);
    }
}
