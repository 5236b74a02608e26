package io.casswarm.gate.storage;

import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.common.user.Role;
import io.casswarm.common.user.User;
import io.casswarm.common.user.UserCreate;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.casswarm.common.user.UserUpdate;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP client of storage's users API ({@code /internal/v1/users}); gate only ever sends
 * password hashes. A user name goes into a path only once checked ({@link Contract#tenant}).
 */
@Singleton
public class StorageUserClient {

    private static final String USERS = "/internal/v1/users";
    private static final Map<String, String> JSON = Map.of(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);

    private final StorageClient storage;
    private final StorageJson json;

    StorageUserClient(StorageClient storage, StorageJson json) {
        this.storage = storage;
        this.json = json;
    }

    /** The user with its password hash; empty when there is none. */
    public Optional<User> find(String username) {
        StorageResponse response = storage.send("GET", user(username), Map.of(), null, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(json.read(response, User.class));
    }

    /** Creates the user; a {@link ProblemType#CONFLICT} problem when the name is taken. */
    public UserSummary create(String username, String passwordHash, Role role) {
        byte[] body = json.write(new UserCreate(username, passwordHash, role));
        StorageResponse response = storage.send("POST", USERS, JSON, body, true);
        if (response.status() == 409 && response.attempts() > 1) {
            // an earlier attempt that timed out may have created it: is it ours?
            Optional<User> existing = find(username);
            if (existing.isPresent() && passwordHash.equals(existing.get().passwordHash())) {
                return existing.get().summary();
            }
        }
        if (response.status() == 409) {
            throw new ProblemException(ProblemType.CONFLICT, "user " + username + " already exists");
        }
        return json.read(response, UserSummary.class);
    }

    public List<UserSummary> list() {
        return json.read(storage.send("GET", USERS, Map.of(), null, true), UserList.class).items();
    }

    /** Sets the enabled flag; empty when there is no such user. */
    public Optional<UserSummary> setEnabled(String username, boolean enabled) {
        return patch(username, UserUpdate.ofEnabled(enabled));
    }

    /** Replaces the password hash; empty when there is no such user. */
    public Optional<UserSummary> setPasswordHash(String username, String passwordHash) {
        return patch(username, UserUpdate.ofPasswordHash(passwordHash));
    }

    private Optional<UserSummary> patch(String username, UserUpdate update) {
        StorageResponse response = storage.send("PATCH", user(username), JSON, json.write(update), true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(json.read(response, UserSummary.class));
    }

    private static String user(String username) {
        return USERS + "/" + Contract.tenant(username);
    }
}
