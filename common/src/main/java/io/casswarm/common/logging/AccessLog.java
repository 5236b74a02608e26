package io.casswarm.common.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log event per HTTP request, in the shape the index template and the Kibana
 * dashboard expect. Gate and storage call {@link #log} once a response is complete.
 *
 * <p>Fields: {@code event.dataset} = {@value #DATASET}, {@code http.request.method},
 * {@code http.route} (the route TEMPLATE, e.g. {@code /internal/v1/tenants/{tenant}/...}; it
 * keeps cardinality low), {@code url.path} (the concrete path), {@code http.response.status_code},
 * {@code event.duration} in MILLISECONDS, and {@code user.name} when authenticated. The request
 * id comes from the MDC ({@code trace.id}). Never pass passwords, tokens, session ids, query
 * strings or bodies.
 */
public final class AccessLog {

    /** {@code event.dataset} of access events; Kibana filters on it. */
    public static final String DATASET = "access";
    /** Logger name of access events (turn it off with {@code <logger name="casswarm.access" level="OFF"/>}). */
    public static final String LOGGER_NAME = "casswarm.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private AccessLog() {
    }

    /**
     * Logs one request at INFO (5xx at WARN).
     *
     * @param route route template, or null when no route matched
     * @param user  authenticated user name, or null
     */
    public static void log(String method, String route, String path, int status, long durationMillis, String user) {
        log(LOG, method, route, path, status, durationMillis, user);
    }

    /** As {@link #log(String, String, String, int, long, String)}, to a given logger. */
    public static void log(Logger logger, String method, String route, String path, int status, long durationMillis, String user) {
        var builder = (status >= 500 ? logger.atWarn() : logger.atInfo())
                .addKeyValue(EcsFields.EVENT_DATASET, DATASET)
                .addKeyValue(EcsFields.HTTP_REQUEST_METHOD, method)
                .addKeyValue(EcsFields.HTTP_ROUTE, route == null ? "(unmatched)" : route)
                .addKeyValue(EcsFields.URL_PATH, path)
                .addKeyValue(EcsFields.HTTP_RESPONSE_STATUS_CODE, status)
                .addKeyValue(EcsFields.EVENT_DURATION, durationMillis);
        if (user != null && !user.isBlank()) {
            builder = builder.addKeyValue(EcsFields.USER_NAME, user);
        }
        builder.log("{} {} {} {}ms", method, path, status, durationMillis);
    }
}
