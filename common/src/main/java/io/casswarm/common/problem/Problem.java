package io.casswarm.common.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error response of gate and storage
 * ({@code application/problem+json}). Extension members (such as {@code currentVersion} on a
 * 412) travel in {@link #extensions()} and are written as top-level members.
 */
@Introspected
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        @Nullable String detail,
        @Nullable String instance,
        @JsonIgnore Map<String, Object> extensions) {

    /** Media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * Extension member naming the seconds a client should wait before trying again (429, 503);
     * the response's {@code Retry-After} header carries the same number.
     */
    public static final String RETRY_AFTER = "retryAfterSeconds";

    /** Seconds to wait after a 503 that names none. */
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    public Problem {
        extensions = extensions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extensions);
    }

    public static Problem of(ProblemType type, @Nullable String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, Map.of());
    }

    /** A copy of this problem with one more extension member. */
    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    /** A copy of this problem telling the client to wait this many seconds (at least 1) before trying again. */
    public Problem retryAfter(long seconds) {
        return with(RETRY_AFTER, Math.max(1, seconds));
    }

    /** The seconds of {@link #RETRY_AFTER}, when this problem names them. */
    public @Nullable Long retryAfterSeconds() {
        return extensions.get(RETRY_AFTER) instanceof Number seconds ? seconds.longValue() : null;
    }

    /** A copy of this problem with another detail. */
    public Problem withDetail(@Nullable String newDetail) {
        return new Problem(type, title, status, newDetail, instance, extensions);
    }

    /** A copy of this problem naming the request it is about (RFC 9457 {@code instance}). */
    public Problem withInstance(@Nullable String requestPath) {
        return new Problem(type, title, status, detail, requestPath, extensions);
    }

    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return extensions;
    }

    @JsonAnySetter
    void extensionMember(String name, Object value) {
        extensions.put(name, value);
    }
}
