/**
 * gate's management port (health details, Prometheus metrics): who may read it. Only callers
 * presenting the metrics credential, which Prometheus holds; swarm's and edge's liveness and
 * readiness probes stay open and say nothing but UP or DOWN.
 */
package io.casswarm.gate.management;
