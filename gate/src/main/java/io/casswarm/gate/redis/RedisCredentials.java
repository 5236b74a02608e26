package io.casswarm.gate.redis;

import io.casswarm.common.secret.SecretFiles;
import io.lettuce.core.RedisURI;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * Puts gate's Redis credentials, read from {@link RedisSettings#passwordFile()} (a Docker
 * secret), into the Redis URI Micronaut builds its client from, so {@code redis.uri} (in
 * stack.yml, an environment variable) names only where Redis is.
 *
 * <p>Both kinds of node get credentials, set explicitly: Lettuce logs in to a data node with the
 * main URI's user and password, and to each Sentinel with that Sentinel's own URI's, which a
 * password in {@code redis-sentinel://user:pass@...} would not reliably reach. The members know
 * gate as the ACL user {@link RedisSettings#username()}; the Sentinels have one user, default,
 * with the same password (infra/redis/redis-sentinel).
 */
@Singleton
final class RedisCredentials implements BeanCreatedEventListener<AbstractRedisConfiguration> {

    private final RedisSettings settings;

    RedisCredentials(RedisSettings settings) {
        this.settings = settings;
    }

    @Override
    public AbstractRedisConfiguration onCreated(BeanCreatedEvent<AbstractRedisConfiguration> event) {
        AbstractRedisConfiguration configuration = event.getBean();
        char[] password = password(settings.passwordFile());
        RedisURI uri = configuration.getUri().orElse(configuration);
        uri.setUsername(settings.username());
        uri.setPassword(password);
        for (RedisURI sentinel : uri.getSentinels()) {
            // Sentinel's user is default: a password alone (AUTH password).
            sentinel.setPassword(password);
        }
        return configuration;
    }

    /** Read once at start: a rotated password reaches gate by a restart (Redis accepts both meanwhile). */
    private static char[] password(Path file) {
        return SecretFiles.require(file, "redis_password", "CASSWARM_REDIS_PASSWORD_FILE").toCharArray();
    }
}
