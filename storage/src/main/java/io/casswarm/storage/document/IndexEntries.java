package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.document.query.DocumentQuery;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a body is found by, in the three index structures of layout v2 (see 003_documents_v2.cql):
 * <ul>
 *   <li>{@code eqs}: one typed entry {@code path<US>kind:value} per scalar, for $eq and $in.
 *       Kinds: {@code s} string, {@code n} number (without trailing zeros, so 3 and 3.0 are
 *       one value), {@code b} boolean, {@code z} null. Array elements are entries of the
 *       array's path, so {@code {"tags": {"$eq": "red"}}} finds {@code "tags": ["red", "blue"]}.</li>
 *   <li>{@code paths}: every path present (objects, arrays and nulls included), for $exists.</li>
 *   <li>index rows: one per range-filterable value that is not in an array: numbers
 *       ({@code #n}), strings up to {@value Contract#MAX_RANGE_STRING_BYTES} bytes
 *       ({@code #s}), and strings that are ISO-8601 instants ({@code #t}, besides {@code #s}).</li>
 * </ul>
 * Member names that are not path segments (letters, digits, '_', '-') are not indexed, nor is
 * anything deeper than {@value Contract#MAX_PATH_DEPTH} levels; at most
 * {@value Contract#MAX_INDEXED_PATHS} paths of a body are indexed. Strings are indexed up to
 * {@value Contract#MAX_VALUE_LENGTH} characters. Numbers are kept exactly in the body and
 * indexed as the decimal of their 64-bit float ({@link #decimal}), at write and query time alike.
 */
final class IndexEntries {

    /** Separates the path from the typed value in an eqs entry (ASCII unit separator). */
    static final char SEPARATOR = '\u001f';

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** One index row: its clustering value ({@code path#kind}) and the one value it holds. */
    record FieldRow(String entry, String path, BigDecimal num, BigInteger str, Instant ts) {
    }

    private final Set<String> eqs;
    private final Set<String> paths;
    private final Map<String, FieldRow> rows;

    private IndexEntries(Set<String> eqs, Set<String> paths, Map<String, FieldRow> rows) {
        this.eqs = eqs;
        this.paths = paths;
        this.rows = rows;
    }

    static IndexEntries of(JsonNode body) {
        IndexEntries entries = new IndexEntries(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
        entries.walk(body, "", 0, false);
        return entries;
    }

    Set<String> eqs() {
        return eqs;
    }

    Set<String> paths() {
        return paths;
    }

    /** Index rows by entry. */
    Map<String, FieldRow> rows() {
        return rows;
    }

    private void walk(JsonNode node, String path, int depth, boolean inArray) {
        if (node.isObject()) {
            if (depth >= Contract.MAX_PATH_DEPTH) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                if (!SEGMENT.matcher(member.getKey()).matches()) {
                    continue;
                }
                String child = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (!paths.contains(child) && paths.size() >= Contract.MAX_INDEXED_PATHS) {
                    continue;
                }
                paths.add(child);
                walk(member.getValue(), child, depth + 1, inArray);
            }
            return;
        }
        if (node.isArray()) {
            int elements = 0;
            for (JsonNode element : node) {
                // Scalars of an array are equality entries of the array's path; nested
                // objects in arrays are not indexed (a path names no array position).
                if (!element.isContainerNode() && elements++ < Contract.MAX_INDEXED_PATHS) {
                    scalar(element, path, true);
                }
            }
            return;
        }
        scalar(node, path, inArray);
    }

    private void scalar(JsonNode value, String path, boolean inArray) {
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.length() > Contract.MAX_VALUE_LENGTH) {
                return;
            }
            eqs.add(eq(path, value));
            if (!inArray) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length <= Contract.MAX_RANGE_STRING_BYTES) {
                    rows.put(path + "#s", new FieldRow(path + "#s", path, null, ordered(text), null));
                }
                Instant instant = DocumentQuery.timestamp(text);
                if (instant != null) {
                    rows.put(path + "#t", new FieldRow(path + "#t", path, null, null, instant));
                }
            }
        } else if (value.isNumber()) {
            eqs.add(eq(path, value));
            if (!inArray) {
                rows.put(path + "#n", new FieldRow(path + "#n", path, decimal(value), null, null));
            }
        } else if (value.isBoolean() || value.isNull()) {
            eqs.add(eq(path, value));
        }
    }

    /** The eqs entry a scalar value of a path is found by (at write and at query time). */
    static String eq(String path, JsonNode value) {
        String typed;
        if (value.isTextual()) {
            typed = "s:" + value.textValue();
        } else if (value.isNumber()) {
            typed = "n:" + number(decimal(value));
        } else if (value.isBoolean()) {
            typed = "b:" + value.booleanValue();
        } else if (value.isNull()) {
            typed = "z:";
        } else {
            throw new IllegalArgumentException("not a scalar: " + value.getNodeType());
        }
        return path + SEPARATOR + typed;
    }

    /**
     * A string as an unsigned integer of its UTF-8 bytes padded to a fixed width, so that
     * integers compare as the strings do (byte order, which is code point order).
     */
    static BigInteger ordered(String text) {
        byte[] bytes = Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), Contract.MAX_RANGE_STRING_BYTES);
        return new BigInteger(1, bytes);
    }

    /**
     * The decimal a number is indexed and queried by: an integer exactly, any other number as
     * the shortest decimal of its 64-bit float. Bounded in length (the body check refuses
     * numbers beyond the float range), the same as when bodies were read as doubles.
     */
    static BigDecimal decimal(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.decimalValue();
        }
        return BigDecimal.valueOf(number.doubleValue());
    }

    private static String number(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** The entries of {@code before} that {@code after} no longer has (their rows must go). */
    static List<String> removedRows(IndexEntries before, IndexEntries after) {
        List<String> removed = new ArrayList<>();
        for (String entry : before.rows.keySet()) {
            if (!after.rows.containsKey(entry)) {
                removed.add(entry);
            }
        }
        return removed;
    }
}
