package io.casswarm.gate.auth;

import io.casswarm.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bcrypt's own bounded executor: past its threads and queue a check is refused at once (503). */
class PasswordHasherTest {

    @Test
    void aFullQueueRefusesWith503AndRetryAfter() throws Exception {
        PasswordHasher hasher = new PasswordHasher(12, 1, 1);
        String hash = hasher.hash("a password");
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outcomes.add(callers.submit(() -> {
                    start.await();
                    try {
                        return hasher.matches("a password", hash);
                    } catch (ProblemException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            int checked = 0;
            int refused = 0;
            for (Future<Object> outcome : outcomes) {
                Object result = outcome.get();
                if (result instanceof ProblemException e) {
                    assertEquals(503, e.problem().status());
                    assertEquals(1L, e.problem().retryAfterSeconds());
                    refused++;
                } else {
                    assertEquals(Boolean.TRUE, result);
                    checked++;
                }
            }
            assertTrue(refused >= 1, "some refused: " + refused);
            // Not "at least 2" (one running, one queued): when all eight submit before the idle
            // worker has taken the first task off the queue, the queue is full for the other
            // seven. Seen once in CI on a loaded machine.
            assertTrue(checked >= 1, "some checked: " + checked);
            assertEquals(8, checked + refused, "every caller answered");
        } finally {
            callers.shutdownNow();
            hasher.stop();
        }
        assertFalse(new PasswordHasher(4, 1, 1).matches("x".repeat(73), "whatever"));
    }
}
