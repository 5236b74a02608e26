package io.casswarm.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The closed loop every path runs: {@code concurrency} requests in flight for the round's
 * seconds, each request's operation drawn from the mix. Latencies of answered requests go to
 * an HdrHistogram (microseconds, 3 significant digits, up to 60 s); every second a point of the
 * timeline is cut from it. A failure is counted by kind, never timed.
 */
public final class LoadLoop {

    /** Starts one request of the given operation; {@code n} numbers the requests of a round. */
    @FunctionalInterface
    public interface Request {
        CompletionStage<?> start(Operation operation, long n);
    }

    /** A request answered with an unexpected HTTP status. */
    public static final class UnexpectedStatus extends RuntimeException {
        private final int status;

        public UnexpectedStatus(int status, String what) {
            super(what + " answered " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private LoadLoop() {
    }

    public static RoundResult run(String path, int round, int concurrency, int seconds, Mix mix, Request request)
            throws InterruptedException {
        Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
        Histogram total = new Histogram(HIGHEST_MICROS, 3);
        Map<Operation, LongAdder> operations = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            operations.put(operation, new LongAdder());
        }
        Map<String, LongAdder> errorsByKind = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong intervalErrors = new AtomicLong();
        List<RoundResult.TimePoint> timeline = new ArrayList<>();
        Semaphore inFlight = new Semaphore(concurrency);
        long startedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-ticker");
            thread.setDaemon(true);
            return thread;
        });
        Runnable cut = () -> {
            synchronized (timeline) {
                Histogram interval = recorder.getIntervalHistogram();
                total.add(interval);
                timeline.add(new RoundResult.TimePoint((System.nanoTime() - start) / 1e9, interval.getTotalCount(),
                        RoundResult.ms(interval, 50), RoundResult.ms(interval, 99), intervalErrors.getAndSet(0)));
            }
        };
        ticker.scheduleAtFixedRate(cut, 1, 1, TimeUnit.SECONDS);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long n = 0;
        try {
            while (System.nanoTime() < end) {
                if (!inFlight.tryAcquire(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                Operation operation = mix.pick(ThreadLocalRandom.current().nextInt(100));
                long began = System.nanoTime();
                CompletionStage<?> stage;
                try {
                    stage = request.start(operation, n++);
                } catch (RuntimeException e) {
                    stage = CompletableFuture.failedFuture(e);
                }
                stage.whenComplete((answer, failure) -> {
                    if (failure == null) {
                        recorder.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began), HIGHEST_MICROS));
                        operations.get(operation).increment();
                    } else {
                        errors.incrementAndGet();
                        intervalErrors.incrementAndGet();
                        errorsByKind.computeIfAbsent(kind(failure), k -> new LongAdder()).increment();
                    }
                    inFlight.release();
                });
            }
            // Let the requests in flight finish (they are part of the round); give up after 60 s.
            if (!inFlight.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
                long unfinished = concurrency - inFlight.availablePermits();
                errors.addAndGet(unfinished);
                errorsByKind.computeIfAbsent("unanswered after 60 s", k -> new LongAdder()).add(unfinished);
            }
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        cut.run();
        Map<String, Long> byOperation = new TreeMap<>();
        operations.forEach((operation, count) -> byOperation.put(operation.key(), count.sum()));
        Map<String, Long> byKind = new TreeMap<>();
        errorsByKind.forEach((kind, count) -> byKind.put(kind, count.sum()));
        long ops = total.getTotalCount();
        return new RoundResult(path, round, startedAt, elapsed, ops, errors.get(), ops / elapsed,
                RoundResult.ms(total, 50), RoundResult.ms(total, 95), RoundResult.ms(total, 99),
                total.getMaxValue() / 1000.0, byOperation, byKind, List.copyOf(timeline), RoundResult.encode(total), Map.of(), Map.of(), Map.of());
    }

    /** "HTTP 503" for an unexpected status, otherwise the exception's class (CompletionException unwrapped). */
    static String kind(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof UnexpectedStatus status) {
            return "HTTP " + status.status();
        }
        return cause.getClass().getSimpleName();
    }
}
