package io.casswarm.common.logging.es;

/**
 * One encoded log event on its way to Elasticsearch: its deterministic id (the document
 * {@code _id}) and its JSON body (UTF-8, no trailing newline).
 */
public record LogRecord(String id, byte[] json) {
}
