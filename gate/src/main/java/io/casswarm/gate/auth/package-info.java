/**
 * Sessions: login with user name and password (checked against the hash storage keeps), the
 * session token in Redis shared by every gate ({@code X-Auth-Token} or the __Host-SESSION cookie),
 * logout, the session counters, and how often a session's last access is written to Redis
 * ({@link io.casswarm.gate.auth.CoarseAccessSessionStore}).
 */
package io.casswarm.gate.auth;
