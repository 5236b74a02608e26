package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `infra/cluster rotate redis_password` while clients read and write through edge, holding what
 * docs/SECURITY.md promises of it: the Redis members, the Sentinels and gate restart at once,
 * so for a while requests are refused, but only with 503 (never a 4xx: a session must not look
 * lost); sessions survive (they live in Redis's append-only file), every acknowledged write
 * reads back, and afterwards the old password opens nothing: no member, no Sentinel.
 */
@Order(88)
class RedisPasswordRotationTest {

    private static final List<String> REDIS_SERVICES = List.of("redis1", "redis2", "sentinel1", "sentinel2", "sentinel3");

    private final Cluster cluster = new Cluster();

    @Test
    void rotatingTheRedisPasswordKeepsSessionsAndRetiresTheOldPassword() throws Exception {
        String oldPassword = cluster.secret("redis_password");
        String token = cluster.edge().login("admin", cluster.adminPassword());
        String run = UUID.randomUUID().toString().substring(0, 8);
        Shell.Result rotate;
        List<Traffic.Failure> failures;
        List<String> lost;
        try (Traffic traffic = new Traffic(cluster.edge(), token, "redis-rotation-" + run, 2, 5, 4)) {
            traffic.await(40, Duration.ofMinutes(2));
            rotate = cluster.clusterCommand(Duration.ofMinutes(20), "rotate", "redis_password").orFail("infra/cluster rotate");
            traffic.await(40, Duration.ofMinutes(3));
            traffic.close();
            failures = traffic.failures();
            lost = traffic.verifyAcknowledgedWrites();
            long refusedSeconds = failures.isEmpty() ? 0
                    : Duration.between(failures.get(0).at(), failures.get(failures.size() - 1).at()).toSeconds();
            cluster.report(String.format("rotate redis_password: %d s; clients %d requests, %d refused with 503 over %d s, "
                            + "slowest %d ms; %d acknowledged writes lost", rotate.took().toSeconds(), traffic.requests(),
                    failures.size(), refusedSeconds, traffic.slowestMillis(), lost.size()));
        }
        List<Traffic.Failure> not503 = failures.stream().filter(f -> !f.outcome().startsWith("503 ")).toList();
        assertTrue(not503.isEmpty(), "while Redis restarts a request is refused with 503 or answered: "
                + not503.subList(0, Math.min(10, not503.size())));
        assertTrue(lost.isEmpty(), "every acknowledged write reads back: " + lost);
        assertEquals(200, cluster.edge().send("GET", "/api/v1/session", token, null).statusCode(),
                "the session from before the rotation still works");

        // Edge's retries hide one gate without Redis from clients: each gate is asked itself.
        Cluster.waitForValue("every gate reaches Redis with the new password", Duration.ofSeconds(60),
                cluster::gatesHealth, healths -> !healths.isEmpty()
                        && healths.stream().allMatch(h -> "UP".equals(h.path("details").path("redis").path("status").asText())));

        String newPassword = cluster.secret("redis_password");
        assertNotEquals(oldPassword, newPassword, "rotate wrote a new password");
        for (String service : REDIS_SERVICES) {
            Cluster.Task task = cluster.requireContainer(service);
            String port = service.startsWith("sentinel") ? "26379" : "6379";
            String user = service.startsWith("sentinel") ? "" : "--user gate ";
            Shell.Result withOld = cluster.exec(task, "sh", "-c", "REDISCLI_AUTH='" + oldPassword + "' redis-cli -p " + port
                    + " " + user + "PING 2>&1");
            assertTrue(withOld.output().contains("WRONGPASS"), service + " refuses the old password: " + withOld.output());
            Shell.Result withNew = cluster.redisCli(task, "-p", port, "PING");
            assertTrue(withNew.output().contains("PONG"), service + " accepts the new password: " + withNew.output());
        }
    }
}
