package io.casswarm.e2e;

import org.HdrHistogram.Histogram;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A bounded closed-loop load through edge: N clients reading one document for a fixed time. */
final class Load {

    /** {@code limited}: 429 answers (the per-user rate limit), counted apart from failures. */
    record Result(long requests, long failures, long limited, double perSecond, Histogram latencyMicros) {
        String summary() {
            return String.format("%.0f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d failed, %d rate-limited of %d",
                    perSecond, latencyMicros.getValueAtPercentile(50) / 1000.0,
                    latencyMicros.getValueAtPercentile(95) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0, failures, limited, requests);
        }

        long succeeded() {
            return requests - failures - limited;
        }
    }

    static Result run(Edge edge, String token, String path, int clients, Duration duration) throws InterruptedException {
        Histogram histogram = new Histogram(60_000_000L, 3);
        AtomicLong failures = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    int status;
                    try {
                        HttpResponse<String> response = edge.send("GET", path, token, null);
                        status = response.statusCode();
                    } catch (RuntimeException e) {
                        status = 0;
                    }
                    long micros = (System.nanoTime() - start) / 1000;
                    synchronized (histogram) {
                        histogram.recordValue(Math.min(micros, 60_000_000L));
                    }
                    requests.incrementAndGet();
                    if (status == 429) {
                        limited.incrementAndGet();
                    } else if (status != 200) {
                        failures.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(requests.get(), failures.get(), limited.get(), requests.get() / (double) duration.toSeconds(), histogram);
    }

    private Load() {
    }
}
