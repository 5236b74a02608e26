package io.casswarm.common.http;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of documents and the conditional headers built on them (RFC 9110, section 13),
 * read the same way by gate and storage. A document's ETag is its version, a strong tag in
 * quotes: {@code "3"}.
 * <ul>
 *   <li>{@code If-Match} (replace, patch, delete): absent or {@code *} is unconditional (the
 *       document must exist, which every such write requires anyway); one strong tag
 *       {@code "N"} requires version N. A weak tag ({@code W/"N"}) never matches under the
 *       strong comparison If-Match uses, and a well-formed tag that is not a version
 *       ({@code "abc"}, {@code "0"}) matches no document: both are 412 at once. A value that
 *       is no entity tag ({@code 3}, {@code "3}) or several tags is 400.</li>
 *   <li>{@code If-None-Match} on a write: only {@code *} (create, 412 if it exists); anything
 *       else is 400.</li>
 *   <li>{@code If-None-Match} on a read: {@code *} or a list of tags, compared weakly
 *       ({@code W/"3"} matches version 3): 304 when one matches.</li>
 * </ul>
 */
public final class Preconditions {

    /** One entity tag: optional {@code W/}, then the opaque tag in double quotes (RFC 9110 etagc). */
    private static final Pattern ENTITY_TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7E]*)\"");
    private static final int MAX_HEADER = 1024;

    private Preconditions() {
    }

    /** The ETag of a version: {@code "3"}. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The version an ETag made by {@link #etag(long)} names; an IllegalArgumentException for any other. */
    public static long versionOfEtag(String etag) {
        Matcher tag = ENTITY_TAG.matcher(etag.strip());
        long version = tag.matches() && tag.group(1) == null ? versionOf(tag.group(2)) : 0;
        if (version < 1) {
            throw new IllegalArgumentException("not the ETag of a version: " + abbreviate(etag));
        }
        return version;
    }

    /**
     * The version {@code If-Match} requires; null when the header is absent or {@code *}.
     *
     * @throws ProblemException 412 when the tag can match no version, 400 when it is malformed
     */
    public static @Nullable Long ifMatch(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return null;
        }
        List<Tag> tags = parse(value, "If-Match");
        if (tags.size() != 1) {
            throw invalid("If-Match: give one entity tag, e.g. \"3\" (or *)");
        }
        Tag tag = tags.get(0);
        if (tag.weak()) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "If-Match: " + abbreviate(value)
                    + " is a weak entity tag, which never matches (If-Match compares strongly)");
        }
        long version = versionOf(tag.value());
        if (version < 1) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "If-Match: " + abbreviate(value)
                    + " matches no version of this document");
        }
        return version;
    }

    /** True when a write's {@code If-None-Match} is {@code *}, false when absent; anything else is 400. */
    public static boolean ifNoneMatchAny(@Nullable String header) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        throw invalid("If-None-Match: only * (create, if no such document exists) is supported on a write");
    }

    /** Whether a read's {@code If-None-Match} matches this version (weak comparison): then the answer is 304. */
    public static boolean ifNoneMatchHits(@Nullable String header, long version) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return true;
        }
        String wanted = Long.toString(version);
        for (Tag tag : parse(value, "If-None-Match")) {
            if (tag.value().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static long versionOf(String value) {
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Tag> parse(String value, String header) {
        if (value.length() > MAX_HEADER) {
            throw invalid(header + ": longer than " + MAX_HEADER + " characters");
        }
        List<Tag> tags = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            Matcher matcher = ENTITY_TAG.matcher(part.strip());
            if (!matcher.matches()) {
                throw invalid(header + ": expected entity tags in double quotes, such as \"3\"");
            }
            tags.add(new Tag(matcher.group(1) != null, matcher.group(2)));
        }
        return tags;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }

    private record Tag(boolean weak, String value) {
    }
}
