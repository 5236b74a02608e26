/**
 * The Cassandra session (contact points, data center, keyspace, consistency), the ring's health,
 * and which problem a failure to reach it is (503 with Retry-After, never a bare 500).
 */
package io.casswarm.storage.cassandra;
