package io.casswarm.storage.testing;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The closed loop storage's benchmarks run: {@code concurrency} operations in flight for
 * {@code seconds}; latencies of the ones that succeed in microseconds (up to 60 s), failures
 * counted, never timed.
 */
public final class ClosedLoop {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private ClosedLoop() {
    }

    /** One path's figures; rounds of the same path add up with {@link #plus}. */
    public record Result(String name, long ops, long errors, double seconds, Histogram latency) {
        public double throughput() {
            return ops / seconds;
        }

        public double ms(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public Result plus(Result other) {
            Histogram sum = latency.copy();
            sum.add(other.latency);
            return new Result(name, ops + other.ops, errors + other.errors, seconds + other.seconds, sum);
        }

        @Override
        public String toString() {
            return String.format("%-13s %8.0f ops/s  (%d ops, %d errors)  latency ms p50 %.1f  p95 %.1f  p99 %.1f  max %.1f",
                    name, throughput(), ops, errors, ms(50), ms(95), ms(99), latency.getMaxValue() / 1000.0);
        }
    }

    public static Result run(String name, IntFunction<CompletionStage<?>> operation, int concurrency, int seconds)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        while (System.nanoTime() < end) {
            inFlight.acquire();
            long began = System.nanoTime();
            CompletionStage<?> stage;
            try {
                stage = operation.apply(n++);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((result, failure) -> {
                if (failure == null) {
                    latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began), HIGHEST_MICROS));
                    ops.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        return new Result(name, ops.get(), errors.get(), (System.nanoTime() - start) / 1e9, latency);
    }
}
