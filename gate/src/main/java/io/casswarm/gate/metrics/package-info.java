/**
 * Metrics gate exposes on /prometheus beyond Micronaut's own: the log shipper's counters.
 */
package io.casswarm.gate.metrics;
