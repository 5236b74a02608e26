package io.casswarm.storage.document;

import io.micronaut.core.annotation.Nullable;

/** ETag and If-Match: a strong entity tag holding the version, {@code "7"}. */
final class Versions {

    private Versions() {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header asks for; null when absent or {@code *} (any
     * existing document, which every replace, patch and delete requires anyway). Accepts
     * {@code "7"}, {@code W/"7"} and a bare 7.
     */
    static @Nullable Long parseIfMatch(@Nullable String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            long version = Long.parseLong(tag);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidDocumentException.invalid("If-Match must be one version as returned in ETag, e.g. \"3\"");
    }
}
