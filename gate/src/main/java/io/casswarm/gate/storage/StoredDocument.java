package io.casswarm.gate.storage;

/**
 * One document as storage answered it: gate passes the JSON to the client byte for byte (storage
 * writes common's {@code Document} with the same mapper settings gate would), so a read or a write
 * costs gate no parse and no second write of the body; the version comes from storage's ETag.
 *
 * @param version the document's version, for gate's ETag and its If-None-Match check
 * @param json    storage's answer body, a {@code Document} as JSON
 */
public record StoredDocument(long version, byte[] json) {
}
