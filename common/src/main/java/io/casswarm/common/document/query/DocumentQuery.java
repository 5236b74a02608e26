package io.casswarm.common.document.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A page of a collection as gate asks storage for it ({@code POST .../query}): every condition
 * must hold (AND), the page starts after {@code cursor}, and {@code fields}, when set, projects
 * the bodies. {@link #check()} holds the rules of what the layout can serve by an index;
 * storage calls it on what it received (gate only builds the query, from the public syntax).
 *
 * @param where  conditions, all of which must hold; empty lists the whole collection
 * @param fields body paths to keep (projection); null keeps the whole body
 * @param limit  page size; null for the server's default
 * @param cursor opaque cursor of the previous page; null for the first page
 */
@Introspected
public record DocumentQuery(List<Condition> where, @Nullable List<String> fields, @Nullable Integer limit,
                            @Nullable String cursor) {

    private static final Pattern PATH_PATTERN = Pattern.compile(Contract.PATH);

    public DocumentQuery {
        where = where == null ? List.of() : List.copyOf(where);
        fields = fields == null ? null : List.copyOf(fields);
    }

    /** Whether a path is one that can be filtered on (and projected). */
    public static boolean isPath(@Nullable String path) {
        return path != null && path.length() <= 256 && PATH_PATTERN.matcher(path).matches();
    }

    /**
     * Refuses, with a 400 naming the condition, what no index of the layout can serve; returns
     * this query otherwise.
     */
    public DocumentQuery check() {
        if (where.size() > Contract.MAX_CONDITIONS) {
            throw invalid("at most " + Contract.MAX_CONDITIONS + " conditions in where, got " + where.size());
        }
        String rangedPath = null;
        boolean sawIn = false;
        Set<String> rangeOps = new HashSet<>();
        for (Condition condition : where) {
            if (condition == null || condition.op() == null) {
                throw invalid("every condition needs a path and an operator");
            }
            String path = condition.path();
            if (!isPath(path)) {
                throw invalid("'" + abbreviate(path) + "' is not a path: member names of letters, digits, '_' or '-'"
                        + " joined by '.', at most 8 deep");
            }
            String where = path + " " + condition.op().token();
            switch (condition.op()) {
                case EQ -> {
                    one(condition, where);
                    scalar(condition.value(), where);
                }
                case IN -> {
                    if (sawIn) {
                        throw invalid(where + ": at most one $in per query (each value is its own index lookup)");
                    }
                    sawIn = true;
                    if (condition.values().isEmpty() || condition.values().size() > Contract.MAX_IN_VALUES) {
                        throw invalid(where + " takes 1 to " + Contract.MAX_IN_VALUES + " values");
                    }
                    condition.values().forEach(value -> scalar(value, where));
                }
                case EXISTS -> {
                    one(condition, where);
                    JsonNode value = condition.value();
                    if (value == null || !value.isBoolean()) {
                        throw invalid(where + " takes true");
                    }
                    if (!value.booleanValue()) {
                        throw invalid(where + " false cannot be served by an index (absent fields are not indexed);"
                                + " only $exists: true is supported");
                    }
                }
                default -> {
                    one(condition, where);
                    if (rangedPath != null && !rangedPath.equals(path)) {
                        throw invalid(where + ": range conditions on two paths (" + rangedPath + ", " + path
                                + ") cannot be served by one index; range on one path per query");
                    }
                    rangedPath = path;
                    if (!rangeOps.add(condition.op().isLowerBound() ? "lower" : "upper")) {
                        throw invalid(where + ": one lower bound ($gt or $gte) and one upper bound ($lt or $lte) per path");
                    }
                    rangeOperand(condition.value(), where);
                }
            }
        }
        if (fields != null) {
            Projection.of(fields);
        }
        return this;
    }

    /** The condition's operand as a range bound: its kind decides the index used. */
    public static RangeKind rangeKind(JsonNode value) {
        if (value.isNumber()) {
            return RangeKind.NUMBER;
        }
        return timestamp(value.textValue()) != null ? RangeKind.TIMESTAMP : RangeKind.STRING;
    }

    /** An ISO-8601 instant with a zone offset ("2025-01-31T12:00:00Z"), or null. */
    public static @Nullable Instant timestamp(@Nullable String text) {
        if (text == null || text.length() < 20 || text.length() > 40 || text.charAt(4) != '-') {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** What a range compares. */
    public enum RangeKind { NUMBER, STRING, TIMESTAMP }

    private static void one(Condition condition, String where) {
        if (condition.values().size() != 1 || condition.value() == null) {
            throw invalid(where + " takes exactly one value");
        }
    }

    private static void scalar(JsonNode value, String where) {
        if (value == null || value.isContainerNode() || value.isMissingNode()) {
            throw invalid(where + ": values are strings, numbers, booleans or null, not objects or arrays");
        }
        if (value.isTextual() && value.textValue().length() > Contract.MAX_VALUE_LENGTH) {
            throw invalid(where + ": string values are at most " + Contract.MAX_VALUE_LENGTH + " characters");
        }
        if (value.isNumber() && !Double.isFinite(value.doubleValue())) {
            throw invalid(where + ": numbers must be finite");
        }
    }

    private static void rangeOperand(JsonNode value, String where) {
        if (value.isNumber()) {
            scalar(value, where);
            return;
        }
        if (!value.isTextual()) {
            throw invalid(where + ": ranges compare numbers, strings or timestamps, not " + value.getNodeType()
                    .name().toLowerCase());
        }
        if (timestamp(value.textValue()) == null
                && value.textValue().getBytes(StandardCharsets.UTF_8).length > Contract.MAX_RANGE_STRING_BYTES) {
            throw invalid(where + ": string ranges compare strings of at most " + Contract.MAX_RANGE_STRING_BYTES
                    + " bytes (longer strings are indexed for equality only)");
        }
    }

    private static String abbreviate(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    static ProblemException invalid(String detail) {
        return Contract.invalid(detail);
    }
}
