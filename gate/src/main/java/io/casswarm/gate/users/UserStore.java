package io.casswarm.gate.users;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.common.user.Role;
import io.casswarm.common.user.User;
import io.casswarm.common.user.UserCreate;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.casswarm.common.user.UserUpdate;
import io.casswarm.gate.storage.StorageClient;
import io.casswarm.gate.storage.StorageJson;
import io.casswarm.gate.storage.StorageResponse;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The users kept by storage ({@code /internal/v1/users}); gate only ever sends hashes. */
@Singleton
public class UserStore {

    private static final String USERS = "/internal/v1/users";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final StorageClient storage;
    private final StorageJson json;

    UserStore(StorageClient storage, StorageJson json) {
        this.storage = storage;
        this.json = json;
    }

    /** The user with its password hash; empty when there is none. */
    public Optional<User> find(String username) {
        StorageResponse response = storage.send("GET", USERS + "/" + username, Map.of(), null, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw json.failure(response);
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
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, UserSummary.class);
    }

    public List<UserSummary> list() {
        StorageResponse response = storage.send("GET", USERS, Map.of(), null, true);
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return json.read(response, UserList.class).items();
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
        byte[] body = json.write(update);
        StorageResponse response = storage.send("PATCH", USERS + "/" + username, JSON, body, true);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw json.failure(response);
        }
        return Optional.of(json.read(response, UserSummary.class));
    }
}
