package io.casswarm.gate;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.containers.GenericContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session store as a container on its network meets it: the Redis member of the test stack
 * (the stack's own infra/redis/redis-member, password from a secret file) refuses a client that
 * does not log in (NOAUTH) or logs in with a wrong password (WRONGPASS); gate's user works, but
 * may not run the @dangerous commands (KEYS, FLUSHALL, ACL). That gate itself logs in is what
 * every other gate test shows (sessions live in this Redis).
 */
@Tag("container")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAuthTest {

    private RedisClient client;

    @BeforeAll
    void start() {
        client = RedisClient.create();
        client.setDefaultTimeout(Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() {
        client.shutdown();
    }

    @Test
    void aClientThatDoesNotLogInGetsNoauth() {
        // Lettuce opens a connection with HELLO (RESP3) or PING (RESP2): Redis refuses either
        // before a login, so no command of an anonymous client ever runs.
        RedisConnectionException hello = assertThrows(RedisConnectionException.class,
                () -> client.connect(uri().build()).close());
        assertTrue(String.valueOf(hello.getCause()).contains("NOAUTH"), String.valueOf(hello.getCause()));
    }

    @Test
    void aWrongPasswordIsRefused() {
        // Every try is refused. Now and then Lettuce reports its own handshake race ("RedisHandshakeHandler
        // not registered") instead of Redis's answer; Redis's reason must show within three tries.
        List<String> reasons = new ArrayList<>();
        for (int attempt = 0; attempt < 3 && reasons.stream().noneMatch(r -> r.contains("WRONGPASS")); attempt++) {
            RedisConnectionException refused = assertThrows(RedisConnectionException.class,
                    () -> client.connect(uri().withAuthentication("gate", "not-the-password").build()).close());
            reasons.add(String.valueOf(refused.getCause()));
        }
        assertTrue(reasons.stream().anyMatch(r -> r.contains("WRONGPASS")), String.valueOf(reasons));
        assertThrows(RedisConnectionException.class,
                () -> client.connect(uri().withAuthentication("default", TestStack.REDIS_PASSWORD).build()).close(),
                "the user default is off");
    }

    @Test
    void gatesUserWorksButRunsNoDangerousCommand() {
        try (StatefulRedisConnection<String, String> gate = client.connect(
                uri().withAuthentication("gate", TestStack.REDIS_PASSWORD).build())) {
            gate.sync().set("redis-auth-test", "1");
            assertEquals("1", gate.sync().get("redis-auth-test"));
            for (Runnable dangerous : new Runnable[]{
                    () -> gate.sync().keys("*"), () -> gate.sync().flushall(), () -> gate.sync().aclList()}) {
                RedisCommandExecutionException refused = assertThrows(RedisCommandExecutionException.class, dangerous::run);
                assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
            }
            gate.sync().del("redis-auth-test");
        }
    }

    private static RedisURI.Builder uri() {
        GenericContainer<?> redis = TestStack.get().redis();
        return RedisURI.builder().withHost(redis.getHost()).withPort(redis.getMappedPort(6379));
    }
}
