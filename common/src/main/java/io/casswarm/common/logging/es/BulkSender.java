package io.casswarm.common.logging.es;

import java.io.Closeable;
import java.util.List;

/** Where the shipper sends batches: Elasticsearch in production, a fake in unit tests. */
interface BulkSender extends Closeable {

    /** Per-event result of a bulk request. */
    enum Outcome {
        /** Indexed now. */
        CREATED,
        /** Already there (409 on {@code create} with the same {@code _id}): delivered earlier. */
        DUPLICATE,
        /** Temporarily refused (429, 5xx): send again later. */
        RETRY,
        /** Permanently refused (e.g. a mapping conflict): dropped and counted. */
        REJECTED
    }

    /** Result of one bulk request; {@code firstRejection} describes a REJECTED item, if any. */
    record Result(Outcome[] outcomes, String firstRejection) {
    }

    /** Installs the index template (idempotent). Throws while Elasticsearch is unreachable. */
    void prepare() throws Exception;

    /** Sends records with {@code create} operations. Throws when the whole request failed. */
    Result send(List<LogRecord> records) throws Exception;
}
