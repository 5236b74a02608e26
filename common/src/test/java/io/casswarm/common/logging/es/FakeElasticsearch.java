package io.casswarm.common.logging.es;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link BulkSender} in memory, for tests of the pipeline's logic without a container: it
 * indexes by id (a second create of an id answers {@link Outcome#DUPLICATE}), can be "down"
 * (every call throws), and can answer chosen events with a given outcome.
 */
final class FakeElasticsearch implements BulkSender {

    private volatile boolean up = true;
    private volatile Function<LogRecord, Outcome> override = r -> null;
    private final Set<String> indexed = new LinkedHashSet<>();
    private final List<Integer> bulkSizes = new ArrayList<>();
    private int prepared;

    void up(boolean up) {
        this.up = up;
    }

    /** Answers the events it returns an outcome for with that outcome (null: index as usual). */
    void answer(Function<LogRecord, Outcome> override) {
        this.override = override;
    }

    synchronized List<String> indexedIds() {
        return new ArrayList<>(indexed);
    }

    synchronized List<Integer> bulkSizes() {
        return new ArrayList<>(bulkSizes);
    }

    synchronized int prepareCalls() {
        return prepared;
    }

    @Override
    public synchronized void prepare() throws IOException {
        if (!up) {
            throw new IOException("connection refused (fake)");
        }
        prepared++;
    }

    @Override
    public synchronized BulkResult send(List<LogRecord> records) throws IOException {
        if (!up) {
            throw new IOException("connection refused (fake)");
        }
        bulkSizes.add(records.size());
        List<Outcome> outcomes = new ArrayList<>();
        String rejection = null;
        for (LogRecord r : records) {
            Outcome forced = override.apply(r);
            Outcome outcome = forced != null ? forced : indexed.add(r.id()) ? Outcome.CREATED : Outcome.DUPLICATE;
            if (forced == Outcome.CREATED) {
                indexed.add(r.id());
            }
            if (outcome == Outcome.REJECTED && rejection == null) {
                rejection = "event " + r.id() + ": 400 mapper_parsing_exception (fake)";
            }
            outcomes.add(outcome);
        }
        return new BulkResult(outcomes, rejection);
    }

    @Override
    public void close() {
    }
}
