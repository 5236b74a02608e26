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
 * `infra/cluster rotate storage_token` while clients read and write through edge: storage
 * accepts the old and the new token while gates roll onto the new one, then only the new one.
 * No client request fails, every acknowledged write reads back, and the old token is refused
 * afterwards (what a leaked token is worth once rotated).
 */
@Order(87)
class SecretRotationTest {

    private final Cluster cluster = new Cluster();

    @Test
    void rotatingTheStorageTokenFailsNoRequestAndRetiresTheOldToken() throws Exception {
        String oldToken = cluster.secret("storage_token");
        assertEquals(200, cluster.storageAs(oldToken, "GET", "/internal/v1/users/admin").status(),
                "storage accepts the current token before the rotation");
        String token = cluster.edge().login("admin", cluster.adminPassword());
        String run = UUID.randomUUID().toString().substring(0, 8);
        Shell.Result rotate;
        List<String> lost;
        try (Traffic traffic = new Traffic(cluster.edge(), token, "rotation-" + run, 2, 5, 4)) {
            traffic.await(40, Duration.ofMinutes(2));
            rotate = cluster.clusterCommand(Duration.ofMinutes(20), "rotate", "storage_token").orFail("infra/cluster rotate");
            traffic.await(40, Duration.ofMinutes(2));
            traffic.close();
            lost = traffic.verifyAcknowledgedWrites();
            cluster.report(String.format("rotate storage_token: %d s; clients %d requests, %d failed, slowest %d ms; "
                            + "%d acknowledged writes lost", rotate.took().toSeconds(), traffic.requests(),
                    traffic.failures().size(), traffic.slowestMillis(), lost.size()));
            assertTrue(traffic.failures().isEmpty(), "no request failed during the rotation: "
                    + traffic.failures().subList(0, Math.min(10, traffic.failures().size())));
        }
        assertTrue(lost.isEmpty(), "every acknowledged write reads back: " + lost);

        String newToken = cluster.secret("storage_token");
        assertNotEquals(oldToken, newToken, "rotate wrote a new token");
        Cluster.Answer refused = cluster.storageAs(oldToken, "GET", "/internal/v1/users/admin");
        assertEquals(401, refused.status(), "the old token after the rotation: " + refused.body());
        assertEquals(200, cluster.storageAs(newToken, "GET", "/internal/v1/users/admin").status(), "the new token");
        assertEquals(200, cluster.edge().send("GET", "/api/v1/session", cluster.edge().login("admin", cluster.adminPassword()),
                null).statusCode(), "a new login works through the rotated stack");
    }
}
