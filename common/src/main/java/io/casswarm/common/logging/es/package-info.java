/**
 * The Elasticsearch log shipper every casswarm JVM runs (gate, storage, the Cassandra nodes):
 * a Logback appender that never blocks the logging thread, batches events into bulk requests,
 * and keeps on disk what Elasticsearch cannot take now, delivering it later, once each.
 *
 * <p>Reading order: {@link io.casswarm.common.logging.es.ElasticsearchAppender} (the Logback face
 * and how the pieces are wired), {@link io.casswarm.common.logging.es.ShipperSettings} (every
 * setting), {@link io.casswarm.common.logging.es.LogShipper} (the shipper thread's loop and its one
 * routing rule), then the pieces it uses: {@code BatchCollector} (when a batch goes),
 * {@code Delivery} and {@code Outcome} (sending and what each answer counts as),
 * {@code Availability} (back-off), {@code SpoolSlot} and {@code Spool} (the disk spool),
 * {@code LogRecord} (one event, encoded), {@code BulkSender}, {@code ElasticsearchBulkSender} and
 * {@code BulkResult} (one bulk request and its answer), {@code TemplateInstaller} (the index
 * template), {@code ShipperRegistry} (the shippers of this JVM),
 * {@link io.casswarm.common.logging.es.IndexTemplate} (mappings and index settings). Counters:
 * {@link io.casswarm.common.logging.es.ShipperCounters}, published by
 * {@link io.casswarm.common.logging.es.LogShipperMetrics} (on gate's and storage's /prometheus,
 * through {@code LogShipperMetricsFactory}) and logged every minute by
 * {@code ShipperStatsLine}.
 */
package io.casswarm.common.logging.es;
