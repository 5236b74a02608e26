package io.casswarm.common.document;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one key a client write carries from edge to Cassandra (IETF httpapi draft
 * "The Idempotency-Key HTTP Header Field"): the client's {@code Idempotency-Key} header, or one
 * edge adds when it is absent. gate forwards it to storage, storage stores it with the write in
 * the same lightweight transaction, and a write whose key the document already holds is
 * answered as applied instead of being applied again. A key reused for a different request is
 * refused with 422, as the draft says.
 *
 * <p>The header is a Structured Field string ({@code "8e03978e-..."}); a bare token of the same
 * characters is accepted too, since many clients send it unquoted.
 */
public final class IdempotencyKey {

    /** The HTTP header, client → edge → gate → storage. */
    public static final String HEADER = "Idempotency-Key";

    /** Printable, no quotes or backslashes (they would need escaping), 1 to 128 characters. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:~+/=-]{1,128}");

    private IdempotencyKey() {
    }

    /** The key of a header value; 400 when it is present but not one. */
    public static @Nullable String parse(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!KEY.matcher(value).matches()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, HEADER
                    + " must be a string of 1 to 128 letters, digits or ._:~+/=- (e.g. a UUID in quotes)");
        }
        return value;
    }

    /**
     * The key of a write: the header's, or a new one for a caller that sent none (a caller not
     * behind edge). Made once, by the first service the request reaches, so that every retry
     * after it carries the same key.
     */
    public static String parseOrGenerate(@Nullable String header) {
        String key = parse(header);
        return key == null ? generate() : key;
    }

    /** The header value for a key (a Structured Field string). */
    public static String header(String key) {
        return "\"" + key + "\"";
    }

    /** A fresh key, for writes that arrive without one (a caller that is not behind edge). */
    public static String generate() {
        return UUID.randomUUID().toString();
    }

    /**
     * The id of a document created without a client id: derived from the key, so the same
     * request sent again (by the client, edge or gate) targets the same document and is
     * answered from its record instead of creating a second one.
     */
    public static String documentId(String tenant, String collection, String key) {
        return UUID.nameUUIDFromBytes((tenant + "/" + collection + "/" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The key of item {@code index} of a bulk request sent with {@code key}. */
    public static String itemKey(String key, int index) {
        return key + "#" + index;
    }
}
