package io.casswarm.common.logging.es;

import java.io.Closeable;
import java.util.List;

/** Where the shipper sends batches: Elasticsearch in production, a fake in container-free tests. */
interface BulkSender extends Closeable {

    /** Makes Elasticsearch ready for events (installs the index template; idempotent). Throws while it is unreachable. */
    void prepare() throws Exception;

    /** Sends records with {@code create} operations. Throws when the request as a whole failed. */
    BulkResult send(List<LogRecord> records) throws Exception;
}
