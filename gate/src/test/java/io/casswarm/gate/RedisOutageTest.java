package io.casswarm.gate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * While Redis (the session store) does not answer, gate says 503; afterwards sessions are still
 * there. A gate also starts while Redis is away (as when the Redis tier restarts during a
 * rotation of its password) and serves once Redis is back.
 */
@MicronautTest
class RedisOutageTest extends GateTestBase {

    private static final String PASSWORD = "outage password";

    @Test
    void redisNotAnsweringIs503WithRetryAfterAndSessionsSurviveIt() {
        String admin = api().adminToken();
        String token = api().token(api().newUser(admin, "patient", PASSWORD), PASSWORD);
        String container = TestStack.get().redis().getContainerId();
        var docker = DockerClientFactory.instance().client();
        docker.pauseContainerCmd(container).exec();
        try {
            Api.Response during = api().get("/api/v1/session", token);
            during.problem(503);
            assertEquals("1", during.header("Retry-After"));
        } finally {
            docker.unpauseContainerCmd(container).exec();
        }
        Api.await("the session answers again after Redis is back", Duration.ofSeconds(10),
                () -> api().get("/api/v1/session", token).status() == 200);
    }

    @Test
    void aGateStartsWhileRedisIsAwayAndServesOnceItIsBack() {
        String user = api().newUser(api().adminToken(), "early", PASSWORD);
        String container = TestStack.get().redis().getContainerId();
        var docker = DockerClientFactory.instance().client();
        Map<String, Object> properties = new HashMap<>(TestStack.get().gateProperties());
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.admin.bootstrap", "false");
        EmbeddedServer started;
        docker.pauseContainerCmd(container).exec();
        try {
            started = ApplicationContext.run(EmbeddedServer.class, properties);
            int management = started.getApplicationContext().getRequiredProperty("endpoints.all.port", Integer.class);
            Api.Response liveness = new Api(java.net.URI.create("http://" + started.getHost() + ":" + management))
                    .get("/health/liveness", null);
            assertEquals(200, liveness.status(), "a gate started without Redis is alive: " + liveness);
        } finally {
            docker.unpauseContainerCmd(container).exec();
        }
        try (EmbeddedServer gate = started) {
            Api early = new Api(gate.getURI());
            Api.await("a login on the gate that started without Redis", Duration.ofSeconds(20),
                    () -> early.login(user, PASSWORD).status() == 200);
            assertEquals(200, early.get("/api/v1/session", early.token(user, PASSWORD)).status());
        }
    }
}
