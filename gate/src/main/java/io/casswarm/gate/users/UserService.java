package io.casswarm.gate.users;

import io.casswarm.common.contract.Contract;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.common.user.Role;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.casswarm.gate.auth.PasswordHasher;
import io.casswarm.gate.admission.LoginThrottle;
import io.casswarm.gate.admission.UserSessions;
import io.casswarm.gate.storage.StorageUserClient;
import io.casswarm.common.user.User;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** What the administrator does with users. Passwords are hashed here; storage keeps the hash. */
@Singleton
public class UserService {

    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);

    private final StorageUserClient store;
    private final PasswordHasher hasher;
    private final UserSessions sessions;
    private final LoginThrottle throttle;

    UserService(StorageUserClient store, PasswordHasher hasher, UserSessions sessions, LoginThrottle throttle) {
        this.store = store;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public UserSummary create(CreateUserCommand command) {
        checkFits("password", command.password());
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

    /**
     * The administrator's change of a user: disable (its sessions end on every gate), enable
     * again (old sessions stay ended), and/or a new password (its sessions end).
     */
    public UserSummary update(String username, UpdateUserCommand command) {
        checked(username);
        if (command.enabled() == null && command.password() == null) {
            throw new ProblemException(ProblemType.VALIDATION, "give enabled and/or password");
        }
        if (AdminBootstrap.ADMIN.equals(username) && Boolean.FALSE.equals(command.enabled())) {
            throw new ProblemException(ProblemType.CONFLICT, "the bootstrap administrator cannot be disabled");
        }
        UserSummary user = null;
        if (command.password() != null) {
            checkFits("password", command.password());
            user = store.setPasswordHash(username, hasher.hash(command.password())).orElseThrow(() -> notFound(username));
            LOG.info("User {}: password changed by the administrator", username);
        }
        if (command.enabled() != null) {
            user = store.setEnabled(username, command.enabled()).orElseThrow(() -> notFound(username));
            LOG.info("User {} {}", username, command.enabled() ? "enabled" : "disabled");
        }
        if (command.password() != null || Boolean.FALSE.equals(command.enabled())) {
            // after storage has the change: see UserSessions.endAll
            sessions.endAll(username);
        }
        return user;
    }

    /**
     * A user's change of its own password: the current one is checked like a login attempt
     * (counted first, so a stolen session cannot guess it faster than a login could), then
     * every session of the user ends, this one too.
     */
    public void changeOwnPassword(String username, ChangePasswordCommand command, HttpRequest<?> request) {
        checkFits("newPassword", command.newPassword());
        LoginThrottle.Attempt attempt = throttle.attempt(username, request);
        throttle.reserve(attempt);
        boolean matches;
        try {
            User user = store.find(checked(username)).orElseThrow(() -> notFound(username));
            matches = hasher.matches(command.currentPassword(), user.passwordHash());
        } catch (RuntimeException e) {
            throttle.notChecked(attempt);
            throw e;
        }
        if (!matches) {
            LOG.info("User {}: password not changed, the current password given is wrong", username);
            throw new ProblemException(ProblemType.FORBIDDEN, "currentPassword is wrong");
        }
        throttle.succeeded(attempt);
        store.setPasswordHash(username, hasher.hash(command.newPassword())).orElseThrow(() -> notFound(username));
        sessions.endAll(username);
        LOG.info("User {} changed its password; its sessions are ended", username);
    }

    private static void checkFits(String member, String password) {
        if (!PasswordHasher.fits(password)) {
            throw new ProblemException(ProblemType.VALIDATION, member + ": must be at most 72 bytes in UTF-8");
        }
    }

    private static String checked(String username) {
        return Contract.tenant(username);
    }

    private static ProblemException notFound(String username) {
        return new ProblemException(ProblemType.NOT_FOUND, "no such user");
    }
}
