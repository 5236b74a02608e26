/**
 * What every answer of gate carries, whatever produced it: {@code Cache-Control: no-store}
 * (answers hold a tenant's documents and session tokens) and {@code X-Content-Type-Options:
 * nosniff}.
 */
package io.casswarm.gate.http;
