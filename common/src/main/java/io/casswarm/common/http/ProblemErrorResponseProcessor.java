package io.casswarm.common.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders every error Micronaut produces itself (no route: 404, wrong method: 405, unacceptable
 * Accept: 406, wrong content type: 415, unreadable body or parameter: 400, body over the size
 * limit: 413, unhandled: 500) as problem+json, so a client sees one error format whatever
 * failed, from gate or from storage. A 5xx body says nothing of the internals (the log does);
 * a 4xx names what was wrong with the input, abbreviated, since it may quote that input.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Map<Integer, ProblemType> BY_STATUS = Arrays.stream(ProblemType.values())
            .filter(type -> type != ProblemType.VALIDATION)
            .collect(Collectors.toMap(ProblemType::status, type -> type, (first, second) -> first));

    /** Longest detail passed on from a framework message. */
    private static final int MAX_DETAIL = 300;

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        int status = base.code();
        ProblemType type = BY_STATUS.getOrDefault(status, status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST);
        String detail = status >= 500 ? null : detailOf(context);
        Problem problem = new Problem(type.uri(), type.title(), status, detail, null, Map.of());
        return Problems.decorate(base, context.getRequest(), problem);
    }

    private static @Nullable String detailOf(ErrorContext context) {
        Throwable cause = context.getRootCause().orElse(null);
        while (cause != null) {
            if (cause instanceof JsonProcessingException json) {
                JsonLocation where = json.getLocation();
                String what = json instanceof JsonParseException ? "body is not valid JSON: "
                        : "body has a member of the wrong type or value: ";
                return what + abbreviate(json.getOriginalMessage())
                        + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        if (!context.hasErrors()) {
            return null;
        }
        return abbreviate(context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; ")));
    }

    private static String abbreviate(@Nullable String message) {
        if (message == null) {
            return "";
        }
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "…" : message;
    }
}
