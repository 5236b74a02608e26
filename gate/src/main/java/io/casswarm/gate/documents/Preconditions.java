package io.casswarm.gate.documents;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of documents and the conditional headers built on them. A document's ETag is its
 * version in quotes: {@code "3"}.
 */
public final class Preconditions {

    private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*");
    private static final int MAX_HEADER = 1024;

    private Preconditions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version {@code If-Match} requires, or empty when the header is absent or {@code *}
     * (the document must exist, which every update requires anyway). A tag that cannot match
     * any document (weak: RFC 9110 strong comparison; or not a version) is a 412 at once.
     */
    public static OptionalLong ifMatch(@Nullable String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        String value = header.strip();
        if (value.equals("*")) {
            return OptionalLong.empty();
        }
        List<Tag> tags = parse(value, "If-Match");
        if (tags.size() != 1) {
            throw invalid("If-Match: give one entity tag");
        }
        Tag tag = tags.get(0);
        long version = tag.weak() ? 0 : versionOf(tag.value());
        if (version < 1) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "If-Match: " + abbreviate(value)
                    + " matches no version of this document");
        }
        return OptionalLong.of(version);
    }

    /** True when {@code If-None-Match} is exactly {@code *}; any other tag is refused. */
    public static boolean ifNoneMatchAny(@Nullable String header, String use) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        throw invalid("If-None-Match: only * is supported " + use);
    }

    /** Whether a GET's {@code If-None-Match} matches the document's version (weak comparison). */
    public static boolean noneMatchHits(@Nullable String header, long version) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return true;
        }
        for (Tag tag : parse(value, "If-None-Match")) {
            if (tag.value().equals(Long.toString(version))) {
                return true;
            }
        }
        return false;
    }

    private static long versionOf(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // a well-formed tag this API never handed out: it matches nothing
            return 0;
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static List<Tag> parse(String value, String header) {
        if (value.length() > MAX_HEADER) {
            throw invalid(header + ": too long");
        }
        List<Tag> tags = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            Matcher matcher = ENTITY_TAG.matcher(part);
            if (!matcher.matches()) {
                throw invalid(header + ": expected quoted entity tags such as \"3\"");
            }
            tags.add(new Tag(matcher.group(1) != null, matcher.group(2)));
        }
        return tags;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }

    private record Tag(boolean weak, String value) {
    }
}
