package io.casswarm.gate.users;

import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.common.user.Role;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.casswarm.gate.auth.PasswordHasher;
import io.casswarm.gate.admission.RedisLimits;
import io.casswarm.gate.storage.StorageUserClient;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** What the administrator does with users. Passwords are hashed here; storage keeps the hash. */
@Singleton
public class UserService {

    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);

    private final StorageUserClient store;
    private final PasswordHasher hasher;
    private final RedisLimits limits;

    UserService(StorageUserClient store, PasswordHasher hasher, RedisLimits limits) {
        this.store = store;
        this.hasher = hasher;
        this.limits = limits;
    }

    public UserSummary create(CreateUserCommand command) {
        if (!PasswordHasher.fits(command.password())) {
            throw new ProblemException(ProblemType.VALIDATION, "password: must be at most 72 bytes in UTF-8");
        }
        Role role = command.role() == null ? Role.USER : command.role();
        UserSummary user = store.create(command.username(), hasher.hash(command.password()), role);
        LOG.info("User {} created with role {}", user.username(), user.role());
        return user;
    }

    public UserList list() {
        return new UserList(store.list());
    }

    public UserSummary get(String username) {
        return store.find(checked(username)).map(user -> user.summary()).orElseThrow(() -> notFound(username));
    }

    /** Disables (or enables again) a user; a disabled user's sessions stop working on every gate. */
    public UserSummary setEnabled(String username, boolean enabled) {
        if (AdminBootstrap.ADMIN.equals(username) && !enabled) {
            throw new ProblemException(ProblemType.CONFLICT, "the bootstrap administrator cannot be disabled");
        }
        if (!enabled) {
            limits.markDisabled(checked(username), true);
        }
        UserSummary user = store.setEnabled(checked(username), enabled).orElseThrow(() -> notFound(username));
        if (enabled) {
            limits.markDisabled(username, false);
        }
        LOG.info("User {} {}", username, enabled ? "enabled" : "disabled");
        return user;
    }

    private static String checked(String username) {
        return Contract.tenant(username);
    }

    private static ProblemException notFound(String username) {
        return new ProblemException(ProblemType.NOT_FOUND, "no such user");
    }
}
