package io.casswarm.common.logging.es;

import java.util.Arrays;
import java.util.List;

/**
 * The outcome of every event of one bulk request, in request order, and a description of the
 * first {@link Outcome#REJECTED} one (or null) for the operator.
 */
record BulkResult(List<Outcome> outcomes, String firstRejection) {

    BulkResult {
        outcomes = List.copyOf(outcomes);
    }

    /** Every event to be sent again, as when the answer did not match the request. */
    static BulkResult retryAll(int events) {
        Outcome[] all = new Outcome[events];
        Arrays.fill(all, Outcome.RETRY);
        return new BulkResult(List.of(all), null);
    }

    /**
     * How many events from the start are settled. The shipper keeps order: the first event to
     * send again and everything after it are sent again (from the spool); an event after it that
     * was indexed now then comes back as {@link Outcome#DUPLICATE}, never indexed twice.
     */
    int settledPrefix() {
        int n = 0;
        while (n < outcomes.size() && outcomes.get(n).settled()) {
            n++;
        }
        return n;
    }
}
