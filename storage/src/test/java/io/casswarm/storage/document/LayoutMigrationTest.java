package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.Api.Reply;
import io.casswarm.storage.testing.CassandraExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copy of a populated layout v1 table into v2: online (reads, writes and deletes of
 * documents not copied yet are served correctly meanwhile) and restartable (the copier is
 * killed mid-way, without releasing its lease, and a new storage resumes from the checkpoint),
 * ending with every v1 document in v2 once, none older than a write made during the copy,
 * none deleted during the copy resurrected, expired ones not copied.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
class LayoutMigrationTest {

    private static final int COLLECTIONS = 3;
    private static final int PER_COLLECTION = 400;

    @Test
    void copiesAPopulatedV1TableOnlineAndResumesAfterAKill() throws Exception {
        String keyspace = "migrate_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> properties = new HashMap<>();
        properties.put("casswarm.cassandra.keyspace", keyspace);
        properties.put("casswarm.cassandra.replication-factor", 1);
        properties.put("micronaut.server.port", -1);
        properties.put("casswarm.layout-migration.enabled", false);
        properties.put("casswarm.layout-migration.batch-size", 20);
        properties.put("casswarm.layout-migration.lease", "4s");
        properties.put("casswarm.layout-migration.pause", "30ms");
        properties.put("casswarm.layout-migration.poll", "500ms");

        // 1. A storage that has the schema but does not copy: fill v1 as the old code did.
        try (EmbeddedServer setup = ApplicationContext.run(EmbeddedServer.class, properties)) {
            CqlSession cql = setup.getApplicationContext().getBean(CqlSession.class);
            PreparedStatement insert = cql.prepare("UPDATE " + keyspace + ".documents USING TTL ? SET version = ?,"
                    + " created_at = ?, updated_at = ?, expires_at = ?, body = ?, fields = {} , write_id = ?"
                    + " WHERE tenant = ? AND collection = ? AND id = ?");
            Instant now = Instant.now();
            for (int c = 0; c < COLLECTIONS; c++) {
                for (int i = 0; i < PER_COLLECTION; i++) {
                    boolean expiring = i % 50 == 7;
                    cql.execute(insert.bind(expiring ? 2 : 0, (long) (i % 5 + 1), now, now,
                            expiring ? now.plusSeconds(2) : null, "{\"i\":" + i + ",\"c\":" + c + "}",
                            UUID.randomUUID(), "legacy", "c" + c, id(i)));
                }
            }
            // Wait until the expiring v1 rows (TTL 2 s) are gone, as Cassandra sees them.
            await("the expiring v1 row expired").atMost(Duration.ofSeconds(30)).until(() -> cql.execute(
                    "SELECT id FROM " + keyspace + ".documents WHERE tenant = 'legacy' AND collection = 'c0'"
                            + " AND id = '" + id(7) + "'").one() == null);
        }

        properties.put("casswarm.layout-migration.enabled", true);
        Set<String> deletedDuringCopy = new HashSet<>();
        Map<String, Long> updatedDuringCopy = new HashMap<>();
        // 2. A storage that copies; while it does, the API serves documents not copied yet.
        EmbeddedServer first = ApplicationContext.run(EmbeddedServer.class, properties);
        CqlSession firstSession = first.getApplicationContext().getBean(CqlSession.class);
        Api api = new Api(first.getURI());
        String docs = "/internal/v1/tenants/legacy/collections/c2/documents/";
        Reply read = api.get(docs + id(399));
        assertEquals(200, read.status(), "a v1 document not copied yet is read: " + read.raw().body());
        assertEquals((399 % 5) + 1, read.json().get("version").asLong());
        Reply patched = api.request("PATCH", docs + id(398)).body("application/merge-patch+json", "{\"p\":1}").send();
        assertEquals(200, patched.status(), () -> patched.raw().body());
        updatedDuringCopy.put("c2/" + id(398), patched.json().get("version").asLong());
        assertEquals(204, api.delete(docs + id(397)).status());
        deletedDuringCopy.add("c2/" + id(397));
        assertEquals(409, api.post(docs.substring(0, docs.length() - 1), Map.of("id", id(396), "body", Map.of()))
                .status(), "an id v1 still holds is taken");
        assertEquals(404, api.get(docs + id(7)).status(), "an expired v1 document is gone");

        await("200 documents copied").atMost(Duration.ofMinutes(2)).until(() -> copied(firstSession, keyspace) >= 200);
        // 3. Kill the copier mid-way: its session closes under it, its lease is not released.
        firstSession.forceCloseAsync().toCompletableFuture().join();
        first.getApplicationContext().getBean(LayoutMigration.class).stop();
        first.close();

        // 4. Another storage resumes from the checkpoint once the lease expired, and finishes.
        try (EmbeddedServer second = ApplicationContext.run(EmbeddedServer.class, properties)) {
            CqlSession cql = second.getApplicationContext().getBean(CqlSession.class);
            LayoutMigration migration = second.getApplicationContext().getBean(LayoutMigration.class);
            await("the migration done").atMost(Duration.ofMinutes(3)).until(migration::done);
            Row progress = cql.execute("SELECT state, copied, skipped FROM " + keyspace
                    + ".data_migrations WHERE name = 'documents_v2'").one();
            assertEquals("DONE", progress.getString("state"));
            System.out.printf("layout migration: copied %d, skipped %d%n", progress.getLong("copied"),
                    progress.getLong("skipped"));
            Api after = new Api(second.getURI());
            for (int c = 0; c < COLLECTIONS; c++) {
                String collection = "/internal/v1/tenants/legacy/collections/c" + c + "/documents";
                Set<String> listed = new HashSet<>();
                String cursor = null;
                do {
                    Reply page = after.get(collection + "?limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
                    page.json().get("items").forEach(item -> assertTrue(listed.add(item.get("id").asText()),
                            "listed once: " + item));
                    cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
                } while (cursor != null);
                for (int i = 0; i < PER_COLLECTION; i++) {
                    String name = "c" + c + "/" + id(i);
                    boolean expired = i % 50 == 7;
                    boolean deleted = deletedDuringCopy.contains(name);
                    assertEquals(!expired && !deleted, listed.contains(id(i)), name + " listed after the copy");
                    if (!expired && !deleted) {
                        Reply doc = after.get(collection + "/" + id(i));
                        long expected = updatedDuringCopy.getOrDefault(name, (long) (i % 5 + 1));
                        assertEquals(expected, doc.json().get("version").asLong(), name + " at its newest version");
                        assertEquals(i, doc.json().at("/body/i").asInt());
                    }
                }
            }
        }
    }

    private static long copied(CqlSession cql, String keyspace) {
        Row row = cql.execute("SELECT copied FROM " + keyspace + ".data_migrations WHERE name = 'documents_v2'").one();
        return row == null || row.isNull("copied") ? 0 : row.getLong("copied");
    }

    private static String id(int i) {
        return String.format("old-%04d", i);
    }
}
