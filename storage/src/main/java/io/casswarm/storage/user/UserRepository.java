package io.casswarm.storage.user;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.casswarm.common.user.Role;
import io.casswarm.common.user.User;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.schema.AppliedSchema;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every CQL statement on the users table, prepared at start-up. Creating and updating are
 * lightweight transactions (create-only; update only an existing user), reads are idempotent.
 */
@Singleton
final class UserRepository {

    private static final String COLUMNS = "username, password_hash, role, enabled, created_at";

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectAll;
    private final PreparedStatement setEnabled;
    private final PreparedStatement setPasswordHash;

    UserRepository(CqlSession session, CassandraSettings settings, AppliedSchema schema) {
        this.session = session;
        String table = schema.keyspace() + ".users";
        this.insert = write(settings, "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
        this.selectOne = read(settings, "SELECT " + COLUMNS + " FROM " + table + " WHERE username = ?");
        // The user table is small (one row per tenant, created by an administrator); the
        // listing is an admin operation over the whole table, read a page at a time.
        this.selectAll = read(settings, "SELECT " + COLUMNS + " FROM " + table);
        this.setEnabled = write(settings, "UPDATE " + table + " SET enabled = ? WHERE username = ? IF EXISTS");
        this.setPasswordHash = write(settings, "UPDATE " + table + " SET password_hash = ? WHERE username = ? IF EXISTS");
    }

    private PreparedStatement read(CassandraSettings settings, String cql) {
        return session.prepare(SimpleStatement.builder(cql)
                .setConsistencyLevel(settings.consistency()).setIdempotence(true).build());
    }

    private PreparedStatement write(CassandraSettings settings, String cql) {
        return session.prepare(SimpleStatement.builder(cql)
                .setConsistencyLevel(settings.consistency())
                .setSerialConsistencyLevel(settings.serialConsistency())
                .setIdempotence(false).build());
    }

    /** False when the username is taken. */
    CompletionStage<Boolean> create(User user) {
        return session.executeAsync(insert.bind(user.username(), user.passwordHash(), user.role().name(),
                user.enabled(), user.createdAt())).thenApply(AsyncResultSet::wasApplied);
    }

    CompletionStage<Optional<User>> find(String username) {
        return session.executeAsync(selectOne.bind(username))
                .thenApply(rows -> Optional.ofNullable(rows.one()).map(UserRepository::user));
    }

    /** False when there is no such user. */
    CompletionStage<Boolean> setEnabled(String username, boolean enabled) {
        return session.executeAsync(setEnabled.bind(enabled, username)).thenApply(AsyncResultSet::wasApplied);
    }

    /** False when there is no such user. */
    CompletionStage<Boolean> setPasswordHash(String username, String passwordHash) {
        return session.executeAsync(setPasswordHash.bind(passwordHash, username)).thenApply(AsyncResultSet::wasApplied);
    }

    CompletionStage<List<User>> all(int max) {
        return collect(session.executeAsync(selectAll.bind().setPageSize(Math.min(max, 500))), new ArrayList<>(), max);
    }

    private CompletionStage<List<User>> collect(CompletionStage<AsyncResultSet> page, List<User> users, int max) {
        return page.thenCompose(rows -> {
            for (Row row : rows.currentPage()) {
                if (users.size() < max) {
                    users.add(user(row));
                }
            }
            if (rows.hasMorePages() && users.size() < max) {
                return collect(rows.fetchNextPage(), users, max);
            }
            return CompletableFuture.completedFuture(users);
        });
    }

    private static User user(Row row) {
        return new User(row.getString("username"), row.getString("password_hash"),
                Role.valueOf(row.getString("role")), row.getBoolean("enabled"), row.getInstant("created_at"));
    }
}
