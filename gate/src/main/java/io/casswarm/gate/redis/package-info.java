/**
 * Redis client set-up: how the Lettuce client finds the primary through the Sentinels,
 * notices a vanished machine and reconnects, its timeouts ({@link RedisSettings}), its ACL user
 * and password from the {@code redis_password} secret ({@link RedisCredentials}), and a Redis
 * failure of any kind answered as a 503 problem, never as the client's fault.
 */
package io.casswarm.gate.redis;
