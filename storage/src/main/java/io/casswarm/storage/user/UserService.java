package io.casswarm.storage.user;

import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.user.User;
import io.casswarm.common.user.UserCreate;
import io.casswarm.common.user.UserSummary;
import io.casswarm.common.user.UserUpdate;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Users as gate stores them. A username is also a tenant, so it follows the tenant pattern.
 * storage never sees a password, only the hash gate computed.
 */
@Singleton
final class UserService {

    private static final int MAX_HASH_LENGTH = 1024;
    private static final int MAX_LISTED = 10_000;

    private final UserRepository repository;

    UserService(UserRepository repository) {
        this.repository = repository;
    }

    CompletionStage<UserSummary> create(UserCreate create) {
        checkUsername(create.username());
        if (create.passwordHash() == null || create.passwordHash().isBlank()
                || create.passwordHash().length() > MAX_HASH_LENGTH) {
            throw invalid("passwordHash must be 1 to " + MAX_HASH_LENGTH + " characters");
        }
        if (create.role() == null) {
            throw invalid("role must be ADMIN or USER");
        }
        User user = new User(create.username(), create.passwordHash(), create.role(), true,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return repository.create(user).thenApply(created -> {
            if (!created) {
                throw new UserExistsException(user.username());
            }
            return user.summary();
        });
    }

    CompletionStage<User> get(String name) {
        checkUsername(name);
        return repository.find(name).thenApply(found -> found.orElseThrow(() -> new UserNotFoundException(name)));
    }

    CompletionStage<List<UserSummary>> list() {
        return repository.all(MAX_LISTED).thenApply(users -> users.stream().map(User::summary).toList());
    }

    CompletionStage<UserSummary> update(String name, UserUpdate update) {
        checkUsername(name);
        if (update.enabled() == null && update.passwordHash() == null) {
            throw invalid("give enabled (true or false) and/or passwordHash");
        }
        if (update.passwordHash() != null && update.passwordHash().isBlank()) {
            throw invalid("passwordHash must not be blank");
        }
        CompletionStage<Boolean> enabled = update.enabled() == null
                ? CompletableFuture.completedFuture(true) : repository.setEnabled(name, update.enabled());
        return enabled
                .thenCompose(found -> !found || update.passwordHash() == null
                        ? CompletableFuture.completedFuture(found)
                        : repository.setPasswordHash(name, update.passwordHash()))
                .thenCompose(updated -> {
                    if (!updated) {
                        throw new UserNotFoundException(name);
                    }
                    return get(name);
                })
                .thenApply(User::summary);
    }

    private static void checkUsername(String name) {
        if (!Contract.isTenant(name)) {
            throw invalid("username " + Contract.TENANT_RULE);
        }
    }

    private static ProblemException invalid(String detail) {
        return Contract.invalid(detail);
    }
}
