package io.casswarm.gate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt (at.favre.lib:bcrypt) on its own bounded executor: as many threads as cores (bcrypt is
 * pure CPU) and a bounded queue, so a flood of logins neither ties up the event loop or the
 * blocking pool's 64 threads with hashing, nor queues without end: with the queue full a check is
 * refused at once as 503 with Retry-After. Passwords longer than bcrypt's 72 bytes are refused at
 * creation (the library would reject them rather than truncate silently).
 */
@Singleton
public class PasswordHasher {

    /** Verified against when a user does not exist, so that such a login costs the same time. */
    private final String decoy;
    private final int cost;
    private final ThreadPoolExecutor executor;

    PasswordHasher(@Value("${casswarm.auth.bcrypt-cost:10}") int cost,
                   @Value("${casswarm.auth.bcrypt-threads:0}") int threads,
                   @Value("${casswarm.auth.bcrypt-queue:32}") int queue) {
        this.cost = cost;
        int size = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)), task -> {
                    Thread thread = new Thread(task, "bcrypt-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.decoy = BCrypt.withDefaults().hashToString(cost, "not a real password, only spends time".toCharArray());
    }

    public String hash(String password) {
        return onExecutor(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()));
    }

    public boolean matches(String password, String hash) {
        if (hash == null || password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        return onExecutor(() -> {
            try {
                return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }

    /** Spends the time of one verification without any user; see {@link #decoy}. */
    public void spendVerificationTime(String password) {
        matches(password.getBytes(StandardCharsets.UTF_8).length > 72 ? "" : password, decoy);
    }

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= 72;
    }

    private <T> T onExecutor(Callable<T> work) {
        try {
            return executor.submit(work).get();
        } catch (RejectedExecutionException e) {
            throw busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static ProblemException busy() {
        return new ProblemException(Problem.of(ProblemType.UNAVAILABLE, "too many password checks at once")
                .retryAfter(1));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
