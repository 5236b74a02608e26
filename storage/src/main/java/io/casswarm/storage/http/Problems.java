package io.casswarm.storage.http;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place a failure becomes a problem (and so a status): domain exceptions carry their
 * problem; the driver's failures to reach the ring at the requested consistency are 503 with a
 * retry hint; anything else is a 500 whose body says nothing of the internals (the log does).
 */
@Singleton
public final class Problems {

    /** Seconds a client should wait before retrying a 503. */
    public static final int RETRY_AFTER_SECONDS = 1;
    static final String RETRY_AFTER_MEMBER = "retryAfterSeconds";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    public Problem of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProblemException problem) {
            return problem.problem();
        }
        if (cause instanceof DriverException && !(cause instanceof QueryValidationException)) {
            // Unavailable, timeouts, overloaded, no node reachable, connection lost...
            LOG.warn("Cassandra could not serve a request: {}", cause.toString());
            return Problem.of(ProblemType.UNAVAILABLE, "the database cannot serve this request at the required "
                            + "consistency right now (" + cause.getClass().getSimpleName() + "); retry later")
                    .with(RETRY_AFTER_MEMBER, RETRY_AFTER_SECONDS);
        }
        LOG.error("unexpected failure", cause);
        return Problem.of(ProblemType.INTERNAL, "unexpected error; the storage log has the details");
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
