package io.casswarm.gate.users;

import io.casswarm.common.secret.SecretFiles;
import io.casswarm.common.user.User;

import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.user.Role;
import io.casswarm.gate.admission.UserSessions;
import io.casswarm.gate.auth.PasswordHasher;
import io.casswarm.gate.storage.StorageUserClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Creates the administrator {@code admin} at start-up from the password file (the Docker secret
 * {@code admin_password}), unless it exists; when it exists with another password, the secret
 * was rotated: its hash is replaced and the administrator's sessions end. Without the file no administrator is created, and
 * that is logged. Storage may start after gate: bootstrap tries again until storage answers.
 */
@Singleton
@Requires(property = "casswarm.admin.bootstrap", notEquals = "false")
public class AdminBootstrap {

    /** The administrator bootstrapped from the secret. */
    public static final String ADMIN = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminSettings settings;
    private final StorageUserClient users;
    private final PasswordHasher hasher;
    private final TaskScheduler scheduler;
    private final UserSessions sessions;

    AdminBootstrap(AdminSettings settings, StorageUserClient users, PasswordHasher hasher,
                   @Named("scheduled") TaskScheduler scheduler, UserSessions sessions) {
        this.settings = settings;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.scheduler = scheduler;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        scheduler.schedule(java.time.Duration.ZERO, this::attempt);
    }

    void attempt() {
        try {
            Optional<String> password = readPassword();
            if (password.isEmpty()) {
                return;
            }
            Optional<User> existing = users.find(ADMIN);
            if (existing.isPresent() && hasher.matches(password.get(), existing.get().passwordHash())) {
                LOG.info("Administrator '{}' exists; bootstrap has nothing to do", ADMIN);
            } else if (existing.isPresent()) {
                users.setPasswordHash(ADMIN, hasher.hash(password.get()));
                sessions.endAll(ADMIN);
                LOG.info("Administrator '{}' password replaced from {} (the secret changed)",
                        ADMIN, settings.passwordFile());
            } else {
                users.create(ADMIN, hasher.hash(password.get()), Role.ADMIN);
                LOG.info("Administrator '{}' created from {}", ADMIN, settings.passwordFile());
            }
        } catch (ProblemException e) {
            if (e.problem().status() == 409) {
                return;
            }
            LOG.warn("Cannot bootstrap the administrator yet ({}); trying again in {}",
                    e.getMessage(), settings.retryEvery());
            scheduler.schedule(settings.retryEvery(), this::attempt);
        } catch (RuntimeException e) {
            LOG.warn("Cannot bootstrap the administrator yet; trying again in {}", settings.retryEvery(), e);
            scheduler.schedule(settings.retryEvery(), this::attempt);
        }
    }

    private Optional<String> readPassword() {
        Optional<String> password = SecretFiles.read(settings.passwordFile());
        if (password.isEmpty()) {
            LOG.warn("No administrator password in {}: no administrator is created. "
                    + "Provide the Docker secret admin_password (or set casswarm.admin.password-file).",
                    settings.passwordFile());
        } else if (password.get().length() < 8 || !PasswordHasher.fits(password.get())) {
            LOG.error("The administrator password in {} must be 8 to 72 bytes; no administrator is created",
                    settings.passwordFile());
            return Optional.empty();
        }
        return password;
    }
}
