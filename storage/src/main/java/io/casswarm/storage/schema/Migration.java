package io.casswarm.storage.schema;

import java.util.List;

/**
 * One versioned .cql file: its statements in order (the keyspace placeholder already
 * replaced) and a checksum of its text, so an edited released migration is noticed.
 */
record Migration(int version, String name, List<String> statements, String checksum) {
}
