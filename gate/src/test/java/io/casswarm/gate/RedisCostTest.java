package io.casswarm.gate;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an API request costs in Redis, counted by Redis itself ({@code INFO commandstats}): a
 * read with a session sends two commands (the session's {@code HGETALL} and the admission
 * script) and writes nothing while its last access moves less than the idle precision.
 */
@MicronautTest
class RedisCostTest extends GateTestBase {

    private static final String PASSWORD = "redis cost password";
    private static final int READS = 40;
    private static final List<String> SESSION_WRITES = List.of("hmset", "hset", "expire", "setex", "zadd");
    private static final Pattern CALLS = Pattern.compile("^cmdstat_([a-z|]+):calls=(\\d+)", Pattern.MULTILINE);

    @Test
    void aReadSendsTwoCommandsAndWritesNoSession() throws Exception {
        String admin = api().adminToken();
        String user = api().newUser(admin, "cost", PASSWORD);
        String token = api().token(user, PASSWORD);
        Api.Response created = api().postJson("/api/v1/collections/cost/documents", token, "{\"n\":1}");
        assertEquals(201, created.status(), created::toString);
        String document = created.header("Location");
        // one read before counting, so nothing the login and the create sent is counted
        assertEquals(200, api().get(document, token).status());

        Map<String, Long> before = commandCalls();
        for (int i = 0; i < READS; i++) {
            Api.Response read = api().get(document, token);
            assertEquals(200, read.status(), read::toString);
        }
        Map<String, Long> sent = delta(before, commandCalls());

        for (String write : SESSION_WRITES) {
            assertEquals(0, sent.getOrDefault(write, 0L), write + " while reading: " + sent);
        }
        assertEquals(READS, sent.getOrDefault("eval", 0L), "one admission script per read: " + sent);
        long hgetall = sent.getOrDefault("hgetall", 0L);
        // A session expiring elsewhere in the suite may make the store read it once more.
        assertTrue(hgetall >= READS && hgetall <= READS + 3, "one session read per read: " + sent);
    }

    /** Calls of each command since Redis started, from the commands gate's own user may run. */
    private static Map<String, Long> commandCalls() throws IOException, InterruptedException {
        Container.ExecResult info = TestStack.get().redis().execInContainer("redis-cli", "--user", "gate",
                "--pass", TestStack.REDIS_PASSWORD, "--no-auth-warning", "info", "commandstats");
        assertEquals(0, info.getExitCode(), info.getStderr());
        Map<String, Long> calls = new HashMap<>();
        Matcher matcher = CALLS.matcher(info.getStdout().replace("\r", ""));
        while (matcher.find()) {
            calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((command, calls) -> {
            long sent = calls - before.getOrDefault(command, 0L);
            if (sent > 0) {
                delta.put(command, sent);
            }
        });
        return delta;
    }
}
