package io.casswarm.storage.schema;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One versioned .cql file: its statements in order (the keyspace placeholder already
 * replaced) and a checksum of its text, so an edited released migration is noticed.
 */
record Migration(int version, String name, List<String> statements, String checksum) {

    /**
     * A schema statement that does nothing the second time: CREATE ... IF NOT EXISTS, DROP ...
     * IF EXISTS. Not ALTER: "ALTER TABLE IF EXISTS t ADD c" is refused the second time.
     */
    private static final Pattern IDEMPOTENT = Pattern.compile(
            "(?is)\\s*(CREATE\\s+(CUSTOM\\s+)?(TABLE|TYPE|INDEX|MATERIALIZED\\s+VIEW|FUNCTION|AGGREGATE)\\s+IF\\s+NOT\\s+EXISTS"
                    + "|DROP\\s+(TABLE|TYPE|INDEX|MATERIALIZED\\s+VIEW|FUNCTION|AGGREGATE)\\s+IF\\s+EXISTS)\\b.*");

    /**
     * Whether every statement can be sent again without harm, so a migration whose migrator
     * died halfway can be finished by the next one from the statement it had reached (that
     * statement may or may not have run).
     */
    boolean resumable() {
        return statements.stream().allMatch(statement -> IDEMPOTENT.matcher(statement).matches());
    }
}
