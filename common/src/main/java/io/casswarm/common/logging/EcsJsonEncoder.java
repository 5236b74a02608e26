package io.casswarm.common.logging;

import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableMessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * The one JSON shape of every casswarm log event: a logstash-logback-encoder composite encoder
 * pre-wired with ECS-style field names (see {@link EcsFields}).
 *
 * <p>Fields: {@code @timestamp} (UTC, ISO-8601), {@code log.level}, {@code message},
 * {@code log.logger}, {@code process.thread.name}, {@code service.name},
 * {@code service.node.name}, {@code service.ephemeral_id}, {@code host.name},
 * {@code event.sequence}, {@code event.id}, every MDC entry under its own key (the request id is
 * MDC {@code trace.id}), SLF4J key/value pairs, structured arguments and markers, and for
 * exceptions {@code error.type}, {@code error.message}, {@code error.stack_trace}.
 *
 * <pre>{@code <encoder class="io.casswarm.common.logging.EcsJsonEncoder">
 *   <serviceName>${SERVICE_NAME:-}</serviceName>   <!-- optional; else env SERVICE_NAME -->
 * </encoder>}</pre>
 */
public class EcsJsonEncoder extends LoggingEventCompositeJsonEncoder {

    /** Longest stack trace written, in characters (keeps one event well under ES limits). */
    private static final int MAX_STACK_TRACE_LENGTH = 16_000;

    private final ServiceFieldsJsonProvider serviceFields = new ServiceFieldsJsonProvider();

    public EcsJsonEncoder() {
        LoggingEventJsonProviders providers = new LoggingEventJsonProviders();

        LoggingEventFormattedTimestampJsonProvider timestamp = new LoggingEventFormattedTimestampJsonProvider();
        timestamp.setFieldName(EcsFields.TIMESTAMP);
        timestamp.setPattern("[ISO_INSTANT]");
        timestamp.setTimeZone("UTC");
        providers.addTimestamp(timestamp);

        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName(EcsFields.LOG_LEVEL);
        providers.addLogLevel(level);

        MessageJsonProvider message = new MessageJsonProvider();
        message.setFieldName(EcsFields.MESSAGE);
        providers.addMessage(message);

        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName(EcsFields.LOG_LOGGER);
        providers.addLoggerName(logger);

        LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName(EcsFields.THREAD_NAME);
        providers.addThreadName(thread);

        providers.addProvider(serviceFields);
        providers.addProvider(new EventIdJsonProvider());
        providers.addMdc(new MdcJsonProvider());
        providers.addKeyValuePairs(new KeyValuePairsJsonProvider());
        providers.addArguments(new ArgumentsJsonProvider());
        providers.addLogstashMarkers(new LogstashMarkersJsonProvider());

        ThrowableClassNameJsonProvider errorType = new ThrowableClassNameJsonProvider();
        errorType.setFieldName(EcsFields.ERROR_TYPE);
        errorType.setUseSimpleClassName(false);
        providers.addThrowableClassName(errorType);

        ThrowableMessageJsonProvider errorMessage = new ThrowableMessageJsonProvider();
        errorMessage.setFieldName(EcsFields.ERROR_MESSAGE);
        providers.addThrowableMessage(errorMessage);

        StackTraceJsonProvider stackTrace = new StackTraceJsonProvider();
        stackTrace.setFieldName(EcsFields.ERROR_STACK_TRACE);
        ShortenedThrowableConverter throwableConverter = new ShortenedThrowableConverter();
        throwableConverter.setMaxLength(MAX_STACK_TRACE_LENGTH);
        stackTrace.setThrowableConverter(throwableConverter);
        providers.addStackTrace(stackTrace);

        setProviders(providers);
    }

    /** Overrides env {@code SERVICE_NAME}; blank means "use the environment". */
    public void setServiceName(String serviceName) {
        serviceFields.setServiceName(serviceName);
    }

    /** Overrides env {@code SERVICE_NODE_NAME} / {@code TASK_NAME} / {@code HOSTNAME}. */
    public void setNodeName(String nodeName) {
        serviceFields.setNodeName(nodeName);
    }
}
