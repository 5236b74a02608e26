package io.casswarm.gate;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.time.Duration;

/** While Redis (the session store) does not answer, gate says 503; afterwards sessions are still there. */
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
}
