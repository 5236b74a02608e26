package io.casswarm.gate.storage;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What the futures of storage calls failed with. */
public final class Futures {

    private Futures() {
    }

    /**
     * The failure itself: a stage after the one that failed sees it wrapped in a
     * {@link CompletionException}.
     */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
