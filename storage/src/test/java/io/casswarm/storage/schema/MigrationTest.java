package io.casswarm.storage.schema;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which migrations a later migrator may finish after the first one died halfway. */
class MigrationTest {

    @Test
    void everyShippedMigrationCanBeFinishedBySendingItsStatementsAgain() {
        List<Migration> shipped = MigrationLoader.load("db/migrations", "ks");
        assertFalse(shipped.isEmpty());
        for (Migration migration : shipped) {
            assertTrue(migration.resumable(), "migration " + migration.version() + " has a statement that is not"
                    + " IF [NOT] EXISTS: " + migration.statements());
        }
    }

    @Test
    void aStatementWithoutIfExistsIsNotResumable() {
        assertTrue(migration("CREATE TABLE IF NOT EXISTS ks.t (id text PRIMARY KEY)",
                "CREATE CUSTOM INDEX IF NOT EXISTS i ON ks.t (v) USING 'StorageAttachedIndex'",
                "create type if not exists ks.u (a int)", "DROP INDEX IF EXISTS ks.i").resumable());
        assertFalse(migration("CREATE TABLE IF NOT EXISTS ks.t (id text PRIMARY KEY)",
                "CREATE TABLE ks.u (id text PRIMARY KEY)").resumable());
        assertFalse(migration("ALTER TABLE ks.t ADD v text").resumable(), "ADD is refused the second time");
        assertFalse(migration("ALTER TABLE IF EXISTS ks.t ADD v text").resumable(), "IF EXISTS is of the table, not of v");
        assertFalse(migration("INSERT INTO ks.t (id) VALUES ('a')").resumable());
    }

    private static Migration migration(String... statements) {
        return new Migration(9, "test", List.of(statements), "checksum");
    }
}
