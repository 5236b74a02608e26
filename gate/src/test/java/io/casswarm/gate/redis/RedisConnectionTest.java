package io.casswarm.gate.redis;

import io.casswarm.gate.TestStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** gate's Redis connection against a real Redis member (the stack's script, with its password). */
class RedisConnectionTest {

    /**
     * A request goes on, after its session has been read, on the Lettuce I/O thread that read it,
     * and gate's first use of its connection can be there. A call that waited there for the
     * connection to be made would wait for that very thread (the thread dump of a stuck gate showed
     * it: every later command on the thread timed out). So a call returns before Redis has
     * answered, here while Redis is paused and cannot, and is answered once it is back.
     */
    @Test
    void aCallReturnsAtOnceAndIsAnsweredWhenRedisIs() throws Exception {
        TestStack stack = TestStack.get();
        RedisURI uri = RedisURI.builder()
                .withHost(stack.redis().getHost()).withPort(stack.redis().getMappedPort(6379))
                .withAuthentication("gate", TestStack.REDIS_PASSWORD.toCharArray()).build();
        RedisClient client = RedisClient.create();
        String container = stack.redis().getContainerId();
        var docker = DockerClientFactory.instance().client();
        try {
            RedisConnection connection = new RedisConnection(client, uri);
            CompletableFuture<String> answer;
            docker.pauseContainerCmd(container).exec();
            try {
                answer = connection.call(redis -> redis.ping()).toCompletableFuture();
                assertFalse(answer.isDone(), "the call returned before Redis, paused, could answer");
            } finally {
                docker.unpauseContainerCmd(container).exec();
            }
            assertEquals("PONG", answer.get(20, TimeUnit.SECONDS));
            connection.close();
        } finally {
            client.shutdown();
        }
    }
}
