package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which problem a failure of a storage request is: a domain failure carries its own; the
 * driver's failures to reach the ring at the required consistency (unavailable, timeouts,
 * overloaded, no node reachable, connection lost, roles unreadable) are 503 with a retry hint;
 * anything else is a 500 whose body says nothing of the internals (the log does). Used for a request's failure
 * ({@link CassandraFailureHandler}) and for each item of a bulk create.
 */
public final class CassandraFailures {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraFailures.class);

    private CassandraFailures() {
    }

    public static Problem problem(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProblemException problem) {
            return problem.problem();
        }
        if (cause instanceof DriverException && (!(cause instanceof QueryValidationException) || authUnavailable(cause))) {
            LOG.warn("Cassandra could not serve a request: {}", cause.toString());
            return Problem.of(ProblemType.UNAVAILABLE, "the database cannot serve this request at the required "
                            + "consistency right now (" + cause.getClass().getSimpleName() + "); retry later")
                    .retryAfter(Problem.DEFAULT_RETRY_AFTER_SECONDS);
        }
        LOG.error("unexpected failure", cause);
        return Problem.of(ProblemType.INTERNAL, "unexpected error; the storage log has the details");
    }

    /**
     * Cassandra reports a role or permission it could not read (system_auth at LOCAL_QUORUM,
     * with two of three nodes down) as Unauthorized, "Unable to perform authorization of ...:
     * Cannot achieve consistency level ...": the ring being unavailable, not a refused statement.
     */
    static boolean authUnavailable(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        return cause instanceof UnauthorizedException
                && (message.startsWith("Unable to perform authorization") || message.contains("Cannot achieve consistency level"));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
