package io.casswarm.common.logging.es;

import ch.qos.logback.core.spi.ContextAware;

import java.util.List;

/**
 * Sends batches to Elasticsearch and keeps the books: every event's {@link Outcome} is counted
 * here, in one place, whether the batch came from memory or from the spool, and the answer
 * decides whether Elasticsearch counts as available ({@link Availability}).
 */
final class Delivery {

    private final BulkSender sender;
    private final ShipperCounters counters;
    private final Availability availability;
    private final ContextAware status;
    private boolean prepared;

    Delivery(BulkSender sender, ShipperCounters counters, Availability availability, ContextAware status) {
        this.sender = sender;
        this.counters = counters;
        this.availability = availability;
        this.status = status;
    }

    /**
     * Whether a batch may be sent now: the back-off is over and Elasticsearch has been prepared
     * (the index template installed, tried here once per back-off period until it works).
     */
    boolean ready() {
        if (!availability.due()) {
            return false;
        }
        if (prepared) {
            return true;
        }
        try {
            sender.prepare();
            prepared = true;
            availability.succeeded();
            return true;
        } catch (Exception e) {
            availability.failed("cannot install the index template", e);
            return false;
        }
    }

    long millisUntilReady() {
        return availability.millisUntilDue();
    }

    /**
     * Sends one bulk request.
     *
     * @return how many events from the start of the batch are settled; the caller keeps the
     *         others (in order) to send again
     */
    int send(List<LogRecord> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        BulkResult result;
        try {
            result = sender.send(batch);
        } catch (Exception e) {
            counters.retried.add(batch.size());
            availability.failed("bulk request failed", e);
            return 0;
        }
        counters.bulks.increment();
        int settled = result.settledPrefix();
        for (Outcome outcome : result.outcomes().subList(0, settled)) {
            switch (outcome) {
                case CREATED -> counters.shipped.increment();
                case DUPLICATE -> {
                    counters.shipped.increment();
                    counters.duplicates.increment();
                }
                case REJECTED -> counters.droppedRejected.increment();
                case RETRY -> throw new IllegalStateException("not settled: " + outcome);
            }
        }
        if (result.firstRejection() != null) {
            status.addWarn("Elasticsearch rejected log events (dropped, counted): " + result.firstRejection());
        }
        if (settled < batch.size()) {
            counters.retried.add(batch.size() - settled);
            availability.failed((batch.size() - settled) + " events refused for now (408/429/5xx)", null);
        } else {
            availability.succeeded();
        }
        return settled;
    }

    void close() {
        try {
            sender.close();
        } catch (Exception e) {
            status.addWarn("cannot close the Elasticsearch client", e);
        }
    }
}
