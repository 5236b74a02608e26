package io.casswarm.common.logging.es;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.casswarm.common.logging.es.Outcome.CREATED;
import static io.casswarm.common.logging.es.Outcome.DUPLICATE;
import static io.casswarm.common.logging.es.Outcome.REJECTED;
import static io.casswarm.common.logging.es.Outcome.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a bulk item's status is read, and which part of a bulk is done with. No container. */
class OutcomeTest {

    @Test
    void itemStatuses() {
        assertEquals(CREATED, Outcome.of(201, false));
        assertEquals(CREATED, Outcome.of(200, false));
        assertEquals(REJECTED, Outcome.of(201, true), "an error object wins over a 2xx");
        assertEquals(DUPLICATE, Outcome.of(409, true));
        assertEquals(RETRY, Outcome.of(429, true));
        assertEquals(RETRY, Outcome.of(408, true));
        assertEquals(RETRY, Outcome.of(500, true));
        assertEquals(RETRY, Outcome.of(503, true));
        assertEquals(REJECTED, Outcome.of(400, true), "e.g. a mapping conflict");
        assertEquals(REJECTED, Outcome.of(404, true));
    }

    @Test
    void theSettledPrefixEndsAtTheFirstEventToRetry() {
        assertEquals(3, new BulkResult(List.of(CREATED, DUPLICATE, REJECTED), null).settledPrefix());
        assertEquals(1, new BulkResult(List.of(CREATED, RETRY, CREATED), null).settledPrefix());
        assertEquals(0, new BulkResult(List.of(RETRY, CREATED), null).settledPrefix());
        assertEquals(0, new BulkResult(List.of(), null).settledPrefix());
        assertEquals(0, BulkResult.retryAll(4).settledPrefix());
        assertEquals(4, BulkResult.retryAll(4).outcomes().size());
    }
}
