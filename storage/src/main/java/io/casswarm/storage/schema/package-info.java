/**
 * The keyspace's schema: versioned CQL migrations from the classpath, applied once and in order
 * at start (recorded in a table, safe when several storage instances start together).
 */
package io.casswarm.storage.schema;
