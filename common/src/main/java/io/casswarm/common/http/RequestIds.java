package io.casswarm.common.http;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id follows one client request through edge, gate and storage: edge sets it
 * when the client did not, {@link RequestIdFilter} puts it in the logging MDC of gate and
 * storage (making one when it is missing or unusable) and echoes it, gate's storage client
 * forwards it.
 */
public final class RequestIds {

    /** HTTP header carrying the request id between the tiers. */
    public static final String HEADER = "X-Request-Id";

    /** MDC key under which the request id is logged (ECS: trace.id). */
    public static final String MDC_KEY = "trace.id";

    /** What gate, storage and the access log accept as a request id (edge enforces a subset). */
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /**
     * True when a client-supplied id may go into logs as it is: short and plain, so a hostile
     * header can neither bloat nor forge a log line. Anything else is replaced or ignored.
     */
    public static boolean usable(String id) {
        return id != null && USABLE.matcher(id).matches();
    }

    /** The id given when usable, a new one otherwise. */
    public static String usableOrNew(String given) {
        return usable(given) ? given : UUID.randomUUID().toString();
    }
}
