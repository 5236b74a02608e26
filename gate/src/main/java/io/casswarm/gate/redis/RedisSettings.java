package io.casswarm.gate.redis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How gate's Redis client behaves when Redis is slow, restarting or failing over. Where Redis is
 * ({@code redis.uri}: {@code redis://host:6379} for one server, {@code
 * redis-sentinel://s1:26379,s2:26379,s3:26379/0#casswarm} for Sentinel) is Micronaut's own setting.
 *
 * @param commandTimeout    longest wait for one command, reconnection included; past it the
 *                          request is a 503
 * @param connectTimeout    longest wait for a TCP connection to a Redis server or a Sentinel: a
 *                          lost machine answers nothing, and the next Sentinel is tried after it
 * @param deadPeerTimeout   a connection whose sent data stays unacknowledged this long is closed
 *                          (TCP_USER_TIMEOUT; on idle connections, keepalive probes after the same
 *                          time), so a primary whose machine vanished is left and the new one found
 *                          through Sentinel; without it the kernel waits about 15 minutes
 * @param reconnectDelayMax upper bound of the growing pause between reconnection attempts (Lettuce's
 *                          default, 30 s, would outlast a Sentinel failover by far)
 * @param username          the ACL user gate logs in to the Redis members as (infra/redis/redis-member)
 * @param passwordFile      file holding the password (trailing newline ignored) of that user and of
 *                          the Sentinels' user default: the Docker secret redis_password
 *                          (CASSWARM_REDIS_PASSWORD_FILE); never in {@code redis.uri}
 */
@ConfigurationProperties("casswarm.redis")
public record RedisSettings(
        @Bindable(defaultValue = "3s") Duration commandTimeout,
        @Bindable(defaultValue = "1s") Duration connectTimeout,
        @Bindable(defaultValue = "4s") Duration deadPeerTimeout,
        @Bindable(defaultValue = "1s") Duration reconnectDelayMax,
        @Bindable(defaultValue = "gate") String username,
        @Bindable(defaultValue = "/run/secrets/redis_password") Path passwordFile) {
}
