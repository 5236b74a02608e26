package io.casswarm.common.document.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Introspected;

import java.util.List;

/**
 * One condition on one path of the body: {@code path op values}. {@code values} holds one value
 * for eq and the ranges, one to {@link io.casswarm.common.contract.Contract#MAX_IN_VALUES} for in, and
 * {@code true} for exists. Values are JSON scalars (string, number, boolean, or null for eq/in).
 *
 * @param path   dotted path into nested objects, e.g. {@code address.city}
 * @param op     the operator
 * @param values the operand(s)
 */
@Introspected
public record Condition(String path, Operator op, List<JsonNode> values) {

    public Condition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** The single operand of eq and the ranges. */
    public JsonNode value() {
        return values.get(0);
    }
}
