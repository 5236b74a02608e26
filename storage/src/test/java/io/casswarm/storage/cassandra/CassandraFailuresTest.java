package io.casswarm.storage.cassandra;

import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.casswarm.common.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Which status a Cassandra failure becomes. The messages are Cassandra 5.0's own: the first seen
 * on the simulated swarm with two of three nodes down (storage answered 500 to every request).
 */
class CassandraFailuresTest {

    @Test
    void rolesUnreadableAtQuorumAreUnavailable() {
        Problem problem = CassandraFailures.problem(new CompletionException(new UnauthorizedException(null,
                "Unable to perform authorization of super-user permission: Cannot achieve consistency level LOCAL_QUORUM")));
        assertEquals(503, problem.status());
        assertNotNull(problem.retryAfterSeconds(), "a 503 says when to retry");
    }

    @Test
    void aPermissionRefusedIsNotUnavailable() {
        Problem problem = CassandraFailures.problem(new UnauthorizedException(null,
                "User storage has no CREATE permission on <keyspace other> or any of its parents"));
        assertEquals(500, problem.status());
    }
}
