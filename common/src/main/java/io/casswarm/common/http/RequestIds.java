package io.casswarm.common.http;

/**
 * The request id follows one client request through edge, gate and storage: edge sets it
 * when the client did not, gate echoes it and forwards it, both put it in the logging MDC.
 */
public final class RequestIds {

    /** HTTP header carrying the request id between the tiers. */
    public static final String HEADER = "X-Request-Id";

    /** MDC key under which the request id is logged (ECS: trace.id). */
    public static final String MDC_KEY = "trace.id";

    private RequestIds() {
    }
}
