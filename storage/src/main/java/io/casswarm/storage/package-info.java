/**
 * storage, the only service speaking CQL: documents ({@code document}) and users ({@code user})
 * on the internal HTTP API, the Cassandra session and how its failures are answered
 * ({@code cassandra}), and the schema migrations applied at start ({@code schema}).
 */
package io.casswarm.storage;
