package io.casswarm.common.logging.es;

/** What became of one event in a bulk request, decided from its item status. */
enum Outcome {
    /** Indexed now. */
    CREATED,
    /** Already there (409 on {@code create} with the same {@code _id}): delivered earlier. */
    DUPLICATE,
    /** Refused for now (408, 429, 5xx): send it again later. */
    RETRY,
    /** Refused for good (e.g. a mapping conflict): dropped and counted. */
    REJECTED;

    /**
     * @param status  the item's HTTP status
     * @param failed  whether the item carries an error object
     */
    static Outcome of(int status, boolean failed) {
        if (!failed && status >= 200 && status < 300) {
            return CREATED;
        }
        if (status == 409) {
            return DUPLICATE;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return RETRY;
        }
        return REJECTED;
    }

    /** Whether the event is done with: it is in Elasticsearch, or never will be. */
    boolean settled() {
        return this != RETRY;
    }
}
