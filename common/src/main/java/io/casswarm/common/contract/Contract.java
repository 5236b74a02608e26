package io.casswarm.common.contract;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The contract of casswarm's documents and users: the names, limits and defaults gate and
 * storage share, written once. storage enforces all of it (it is authoritative: whatever reaches
 * Cassandra went through its checks); gate checks only what it needs to build a safe request
 * (the names it puts into storage's paths) and passes storage's answer on for the rest, so both
 * give the same answer to the same input. docs/CONTRACT.md carries {@link #rules()} as a table;
 * a test keeps the two equal.
 */
public final class Contract {

    // ---- names ------------------------------------------------------------------------------

    /** A tenant, which is a user name: letters, digits, '_', '.', '@', '-', 1 to 64, starting with a letter or digit. */
    public static final String TENANT = "[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}";
    /** {@link #TENANT} in words, for error messages. */
    public static final String TENANT_RULE =
            "must be 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit";
    /** A collection: letters, digits, '_', '-', 1 to 64, starting with a letter or digit. */
    public static final String COLLECTION = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";
    /** A document id: letters, digits, '_', '-', '.', ':', 1 to 128, starting with a letter or digit. */
    public static final String DOCUMENT_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    /**
     * A body path (filters, projection): 1 to {@value #MAX_PATH_DEPTH} member names of letters,
     * digits, '_' or '-', each 1 to 64, joined by '.'.
     */
    public static final String PATH = "[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}";

    // ---- documents --------------------------------------------------------------------------

    /** Largest body, counted as compact UTF-8 JSON (the form stored): 413 above. */
    public static final int MAX_BODY_BYTES = 1_048_576;
    /** Deepest nesting of objects and arrays in a body, the body itself being level 1: 400 above. */
    public static final int MAX_BODY_DEPTH = 32;
    /** Shortest TTL, in seconds. */
    public static final int MIN_TTL_SECONDS = 1;
    /** Longest TTL, in seconds: 20 years, Cassandra's own maximum. */
    public static final int MAX_TTL_SECONDS = 630_720_000;
    /** Most documents in one bulk create (at least one). */
    public static final int MAX_BULK_DOCUMENTS = 100;

    // ---- listing and queries ----------------------------------------------------------------

    /** Page size of a listing without {@code limit}. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest {@code limit} of a listing (the smallest is 1). */
    public static final int MAX_PAGE_SIZE = 1000;
    /** Most conditions in one query. */
    public static final int MAX_CONDITIONS = 8;
    /** Most values of one {@code $in}. */
    public static final int MAX_IN_VALUES = 20;
    /** Longest string operand of a condition, and longest string value indexed for equality. */
    public static final int MAX_VALUE_LENGTH = 256;
    /** Longest string, in UTF-8 bytes, that range conditions compare (strings are range-indexed up to this). */
    public static final int MAX_RANGE_STRING_BYTES = 64;
    /** Deepest body path filtered on or projected. */
    public static final int MAX_PATH_DEPTH = 8;
    /** Most paths of one document indexed for filtering (the first ones in body order). */
    public static final int MAX_INDEXED_PATHS = 64;
    /** Most paths in one projection ({@code fields}). */
    public static final int MAX_PROJECTION_PATHS = 32;

    private static final Pattern TENANT_PATTERN = Pattern.compile(TENANT);
    private static final Pattern COLLECTION_PATTERN = Pattern.compile(COLLECTION);
    private static final Pattern DOCUMENT_ID_PATTERN = Pattern.compile(DOCUMENT_ID);

    private Contract() {
    }

    /** One rule of the contract, as docs/CONTRACT.md lists it. */
    public record Rule(String name, String value, String meaning) {
    }

    /** Every rule, in the order of docs/CONTRACT.md's table. */
    public static List<Rule> rules() {
        return List.of(
                new Rule("tenant (= user name)", "`" + TENANT + "`", "else 400"),
                new Rule("collection", "`" + COLLECTION + "`", "else 400"),
                new Rule("document id", "`" + DOCUMENT_ID + "`", "else 400 (server ids are UUIDs)"),
                new Rule("body path", "`" + PATH + "`", "filters and projection; else 400"),
                new Rule("body", "a JSON object", "else 400"),
                new Rule("body size", MAX_BODY_BYTES + " bytes", "as compact UTF-8 JSON; else 413"),
                new Rule("body nesting", MAX_BODY_DEPTH + " levels", "objects and arrays, the body is level 1; else 400"),
                new Rule("TTL", MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS + " seconds", "`ttlSeconds`, gate's `ttl`; else 400"),
                new Rule("bulk create", "1 to " + MAX_BULK_DOCUMENTS + " documents", "else 400, nothing written"),
                new Rule("page size", "1 to " + MAX_PAGE_SIZE + ", default " + DEFAULT_PAGE_SIZE, "`limit`; else 400"),
                new Rule("conditions per query", "at most " + MAX_CONDITIONS, "else 400"),
                new Rule("`$in` values", "1 to " + MAX_IN_VALUES, "one `$in` per query; else 400"),
                new Rule("string operand", "at most " + MAX_VALUE_LENGTH + " characters", "else 400; longer body strings are not indexed"),
                new Rule("string range bound", "at most " + MAX_RANGE_STRING_BYTES + " bytes (UTF-8)", "else 400"),
                new Rule("indexed paths per document", "at most " + MAX_INDEXED_PATHS, "the first in body order"),
                new Rule("projection", "1 to " + MAX_PROJECTION_PATHS + " paths", "`fields`; else 400"));
    }

    // ---- checks -----------------------------------------------------------------------------

    /** Whether a name is a tenant (and so a user name). */
    public static boolean isTenant(@Nullable String name) {
        return name != null && TENANT_PATTERN.matcher(name).matches();
    }

    /** The tenant, checked; 400 otherwise. */
    public static String tenant(@Nullable String name) {
        if (!isTenant(name)) {
            throw invalid("user name (tenant) " + TENANT_RULE);
        }
        return name;
    }

    /** The collection name, checked; 400 otherwise. */
    public static String collection(@Nullable String name) {
        if (name == null || !COLLECTION_PATTERN.matcher(name).matches()) {
            throw invalid("collection name must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** The document id, checked; 400 otherwise. */
    public static String documentId(@Nullable String id) {
        if (id == null || !DOCUMENT_ID_PATTERN.matcher(id).matches()) {
            throw invalid("document id must be 1 to 128 letters, digits, '_', '-', '.' or ':',"
                    + " starting with a letter or digit");
        }
        return id;
    }

    /** A {@code limit} query parameter as a number; 400 when it is none (its range: {@link #pageSize}). */
    public static @Nullable Integer parseLimit(@Nullable String limit) {
        if (limit == null) {
            return null;
        }
        try {
            return Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw invalid("limit must be a whole number from 1 to " + MAX_PAGE_SIZE);
        }
    }

    /** The page size a {@code limit} asks for: the default when null; 400 outside 1 to {@link #MAX_PAGE_SIZE}. */
    public static int pageSize(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw invalid("limit must be a whole number from 1 to " + MAX_PAGE_SIZE);
        }
        return limit;
    }

    /** A TTL in seconds, checked: 0 for none (null); 400 outside {@link #MIN_TTL_SECONDS} to {@link #MAX_TTL_SECONDS}. */
    public static int ttlSeconds(@Nullable Integer ttl) {
        if (ttl == null) {
            return 0;
        }
        if (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
            throw invalid("ttl must be " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS + " seconds");
        }
        return ttl;
    }

    /** The number of documents of a bulk create, checked: 1 to {@link #MAX_BULK_DOCUMENTS}; 400 otherwise. */
    public static int bulkSize(int documents) {
        if (documents < 1 || documents > MAX_BULK_DOCUMENTS) {
            throw invalid("a bulk create holds 1 to " + MAX_BULK_DOCUMENTS + " documents, got " + documents);
        }
        return documents;
    }

    /** A 400 problem of the contract (input breaking a rule). */
    public static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.VALIDATION, detail);
    }
}
