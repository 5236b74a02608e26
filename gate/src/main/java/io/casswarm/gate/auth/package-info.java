/**
 * Sessions: login with user name and password (checked against the hash storage keeps), the
 * session token in Redis shared by every gate ({@code X-Auth-Token} or the __Host-SESSION cookie),
 * logout, and the session counters.
 */
package io.casswarm.gate.auth;
