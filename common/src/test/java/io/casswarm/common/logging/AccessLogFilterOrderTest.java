package io.casswarm.common.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filter that answers on its own at {@code FIRST.after()} (as gate's ContentTypeFilter does
 * with a 415) still gets its answer into the access log: {@link AccessLogFilter} runs outside it.
 * An embedded server in this JVM, no container.
 */
@MicronautTest
@Requires(property = "spec.name", value = "AccessLogFilterOrderTest")
@io.micronaut.context.annotation.Property(name = "spec.name", value = "AccessLogFilterOrderTest")
class AccessLogFilterOrderTest {

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> accessEvents = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);

    @BeforeEach
    void captureAccessEvents() {
        accessEvents.setContext(accessLogger.getLoggerContext());
        accessEvents.start();
        accessLogger.addAppender(accessEvents);
    }

    @AfterEach
    void release() {
        accessLogger.detachAppender(accessEvents);
        accessEvents.stop();
    }

    @Test
    void orderIsStrictlyBetweenTheRequestIdFilterAndFiltersAtFirstAfter() {
        assertTrue(AccessLogFilter.ORDER > ServerFilterPhase.FIRST.order(), "inside a request-id filter at FIRST");
        assertTrue(AccessLogFilter.ORDER < ServerFilterPhase.FIRST.after(), "outside filters at FIRST.after()");
        assertEquals(AccessLogFilter.ORDER, new AccessLogFilter().getOrder());
    }

    @Test
    void anAnswerOfAnInnerFilterIsInTheAccessLog() throws Exception {
        assertEquals(415, send("POST", "/order-test/things"));
        assertEquals(200, send("GET", "/order-test/things"));

        List<Map<String, Object>> events = accessEvents.list.stream().map(AccessLogFilterOrderTest::fields).toList();
        assertEquals(2, events.size(), "one access event per request: " + events);
        assertEquals(415, events.get(0).get("http.response.status_code"), events.get(0).toString());
        assertEquals("POST", events.get(0).get("http.request.method"));
        assertEquals("/order-test/things", events.get(0).get("url.path"));
        assertEquals(200, events.get(1).get("http.response.status_code"), events.get(1).toString());
    }

    private int send(String method, String path) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(method.equals("POST") ? "{}" : ""))
                .build();
        return http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    }

    /** Stands for gate's ContentTypeFilter: at FIRST.after(), answers a POST itself. */
    @Requires(property = "spec.name", value = "AccessLogFilterOrderTest")
    @Filter("/order-test/**")
    static final class AnswersOnItsOwnFilter implements HttpServerFilter {

        @Override
        public int getOrder() {
            return ServerFilterPhase.FIRST.after();
        }

        @Override
        public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
            if (request.getMethod() == HttpMethod.POST) {
                return Publishers.just(HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE));
            }
            return chain.proceed(request);
        }
    }

    @Requires(property = "spec.name", value = "AccessLogFilterOrderTest")
    @Controller("/order-test")
    static final class ThingsController {

        @Get("/things")
        String list() {
            return "[]";
        }

        @Post("/things")
        String create() {
            return "{}";
        }
    }
}
