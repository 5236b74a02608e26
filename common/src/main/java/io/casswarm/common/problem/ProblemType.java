package io.casswarm.common.problem;

/**
 * The kinds of problem the API reports. The URI is stable and documented; clients switch on
 * it rather than on the title.
 */
public enum ProblemType {
    BAD_REQUEST(400, "Bad request"),
    VALIDATION(400, "Invalid input"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Already exists"),
    PRECONDITION_FAILED(412, "Version mismatch"),
    PAYLOAD_TOO_LARGE(413, "Body too large"),
    /** An Idempotency-Key sent again with a different request (IETF httpapi idempotency-key draft). */
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    INTERNAL(500, "Internal error"),
    UNAVAILABLE(503, "Temporarily unavailable");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A relative URI naming the problem kind, e.g. {@code /problems/precondition-failed}. */
    public String uri() {
        return "/problems/" + name().toLowerCase().replace('_', '-');
    }
}
