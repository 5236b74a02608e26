package io.casswarm.gate.documents;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;

import java.util.regex.Pattern;

/**
 * The rules for names a client puts in a path or query: collection names, document ids, filter
 * fields and cursors. They are checked before anything reaches storage, so nothing a client
 * sends can change the path gate calls.
 */
public final class Names {

    /** Collection: letters, digits, '_', '-', 1 to 64, starting with a letter or digit. */
    public static final String COLLECTION = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
    /** Document id: letters, digits, '_', '-', '.', ':', 1 to 128, starting with a letter or digit. */
    public static final String DOCUMENT_ID = "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$";
    /** Filter field: a top-level field name of letters, digits, '_', '.', '-', 1 to 64. */
    public static final String FIELD = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$";
    /** Cursor: the opaque URL-safe token storage hands out. */
    public static final String CURSOR = "^[A-Za-z0-9_=-]{1,2048}$";

    private static final Pattern COLLECTION_PATTERN = Pattern.compile(COLLECTION);
    private static final Pattern ID_PATTERN = Pattern.compile(DOCUMENT_ID);
    private static final Pattern FIELD_PATTERN = Pattern.compile(FIELD);
    private static final Pattern CURSOR_PATTERN = Pattern.compile(CURSOR);

    private Names() {
    }

    public static String collection(String name) {
        if (name == null || !COLLECTION_PATTERN.matcher(name).matches()) {
            throw invalid("collection name must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    public static String documentId(String id) {
        if (id == null || !ID_PATTERN.matcher(id).matches()) {
            throw invalid("document id must be 1 to 128 letters, digits, '_', '-', '.' or ':', starting with a letter or digit");
        }
        return id;
    }

    public static String field(String field) {
        if (field == null || !FIELD_PATTERN.matcher(field).matches()) {
            throw invalid("filter field must be a top-level field name: 1 to 64 letters, digits, '_', '.' or '-'");
        }
        return field;
    }

    public static String cursor(String cursor) {
        if (cursor == null || !CURSOR_PATTERN.matcher(cursor).matches()) {
            throw invalid("cursor is not one this API handed out");
        }
        return cursor;
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.VALIDATION, detail);
    }
}
