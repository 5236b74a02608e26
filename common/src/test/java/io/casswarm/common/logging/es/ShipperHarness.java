package io.casswarm.common.logging.es;

import ch.qos.logback.core.ContextBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link LogShipper} wired as the appender wires it, against a {@link FakeElasticsearch} and a
 * real spool in a temporary directory: the pipeline's decisions, checked in seconds.
 */
final class ShipperHarness implements AutoCloseable {

    final FakeElasticsearch elasticsearch = new FakeElasticsearch();
    final ShipperCounters counters = new ShipperCounters();
    final ContextAwareBase status = new ContextAwareBase();
    final ShipperSettings settings;
    final ArrayBlockingQueue<LogRecord> queue;
    private final LogShipper shipper;
    private final Thread thread;
    private int next;

    /** Settings for tests: fast retries, a small spool; {@code tweak} changes them further. */
    static ShipperSettings settings(Path spoolDir, Consumer<ShipperSettings.Builder> tweak) {
        ShipperSettings.Builder builder = new ShipperSettings.Builder();
        builder.spoolDir = spoolDir == null ? null : spoolDir.toString();
        builder.retryInitialMillis = 20;
        builder.retryMaxMillis = 100;
        builder.lingerMillis = 100;
        builder.spoolFsyncMillis = 0;
        builder.maxSpoolBytes = 1 << 20;
        builder.spoolSegmentBytes = 16 << 10;
        builder.shutdownTimeoutMillis = 5000;
        tweak.accept(builder);
        return builder.build();
    }

    ShipperHarness(ShipperSettings settings) {
        this(settings, fake -> { });
    }

    ShipperHarness(ShipperSettings settings, Consumer<FakeElasticsearch> before) {
        this.settings = settings;
        status.setContext(new ContextBase());
        before.accept(elasticsearch);
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        counters.queueSize = queue::size;
        Availability availability = new Availability(settings, counters, status, System::nanoTime);
        SpoolSlot spool = new SpoolSlot(settings, counters, status, System::nanoTime);
        shipper = new LogShipper(settings, queue, spool, new Delivery(elasticsearch, counters, availability, status),
                availability, status);
        thread = new Thread(shipper, "test-log-shipper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Offers events with ids {@code e-<n>} (n counting from 1), as the appender would. */
    void log(int events) {
        for (int i = 0; i < events; i++) {
            log(("{\"n\":" + (next + 1) + "}"));
        }
    }

    void log(String json) {
        next++;
        if (!queue.offer(new LogRecord("e-" + next, json.getBytes(StandardCharsets.UTF_8)))) {
            throw new AssertionError("queue full");
        }
    }

    void stop() throws InterruptedException {
        shipper.requestStop();
        thread.join(20_000);
        if (thread.isAlive()) {
            throw new AssertionError("shipper did not stop");
        }
    }

    void crash() throws InterruptedException {
        shipper.halt();
        thread.interrupt();
        thread.join(20_000);
    }

    List<String> statusMessages() {
        return status.getContext().getStatusManager().getCopyOfStatusList().stream().map(Status::getMessage).toList();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> seen) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; seen: " + seen.get(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
