package io.casswarm.storage.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

/** Migrates at start-up (a {@link Context} bean): a schema problem stops the process early. */
@Factory
final class SchemaFactory {

    @Context
    AppliedSchema appliedSchema(CqlSession session, CassandraSettings cassandra, MigrationSettings settings) {
        return new SchemaMigrator(session, cassandra, settings).migrate();
    }
}
