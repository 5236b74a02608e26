package io.casswarm.common.logging;

/**
 * Field names of the JSON log events (ECS style, dotted at the top level; Elasticsearch expands
 * them into objects). The index template in {@code casswarm-logs-template.json} maps each one
 * explicitly; keep the two in step ({@code IndexTemplateTest} checks it). The request id
 * ({@code trace.id}) comes from the MDC under {@code RequestIds.MDC_KEY}.
 */
public final class EcsFields {

    public static final String TIMESTAMP = "@timestamp";
    public static final String MESSAGE = "message";
    public static final String LOG_LEVEL = "log.level";
    public static final String LOG_LOGGER = "log.logger";
    public static final String THREAD_NAME = "process.thread.name";
    public static final String SERVICE_NAME = "service.name";
    public static final String SERVICE_NODE_NAME = "service.node.name";
    public static final String SERVICE_EPHEMERAL_ID = "service.ephemeral_id";
    public static final String HOST_NAME = "host.name";
    public static final String ERROR_TYPE = "error.type";
    public static final String ERROR_MESSAGE = "error.message";
    public static final String ERROR_STACK_TRACE = "error.stack_trace";
    public static final String EVENT_ID = "event.id";
    public static final String EVENT_SEQUENCE = "event.sequence";
    public static final String EVENT_DATASET = "event.dataset";
    /**
     * Request duration in MILLISECONDS (long). Note: ECS defines {@code event.duration} in
     * nanoseconds; this project deliberately stores milliseconds here (see kibana/README.md).
     */
    public static final String EVENT_DURATION = "event.duration";
    public static final String HTTP_REQUEST_METHOD = "http.request.method";
    public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
    /** The route template, e.g. {@code /v1/collections/{collection}/documents/{id}}. */
    public static final String HTTP_ROUTE = "http.route";
    public static final String URL_PATH = "url.path";
    public static final String USER_NAME = "user.name";

    private EcsFields() {
    }
}
