/**
 * Documents in Cassandra: the internal document API ({@link io.casswarm.storage.document.DocumentController}),
 * the rules of the contract applied to every write ({@link io.casswarm.storage.document.DocumentRules}),
 * writes with versions, idempotency keys and unknown-outcome resolution
 * ({@link io.casswarm.storage.document.DocumentService}), the CQL of reads and writes
 * ({@link io.casswarm.storage.document.DocumentRepository}), index entries and index-served queries
 * with their cursor and their own SELECTs ({@link io.casswarm.storage.document.DocumentQueries}),
 * merge patch, and the online copy of layout v1 into v2 with the CQL of that copy
 * ({@link io.casswarm.storage.document.LayoutMigration}).
 */
package io.casswarm.storage.document;
