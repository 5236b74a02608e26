package io.casswarm.common.logging;

/**
 * The deterministic id of an event: {@code <service.ephemeral_id>-<event.sequence>}.
 *
 * <p>The sequence is Logback's per-context sequence number (monotonically increasing, starting
 * at 1 in each process run); the ephemeral id is random per run. The same event therefore always
 * gets the same id, which the shipper uses as the Elasticsearch {@code _id}: a retried
 * {@code create} of an event that already arrived answers 409 instead of indexing it twice.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String of(String ephemeralId, long sequence) {
        return ephemeralId + "-" + sequence;
    }
}
