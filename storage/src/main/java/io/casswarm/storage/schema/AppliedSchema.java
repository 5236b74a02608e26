package io.casswarm.storage.schema;

import java.util.List;

/**
 * Proof that the keyspace is migrated and the ring agrees on the schema. Repositories take it
 * as a constructor argument so that they prepare their statements only after migration.
 *
 * @param keyspace         the migrated keyspace
 * @param currentVersion   the highest applied migration version
 * @param appliedHere      versions this process applied itself (empty when another replica did)
 */
public record AppliedSchema(String keyspace, int currentVersion, List<Integer> appliedHere) {
}
