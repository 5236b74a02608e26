package io.casswarm.storage.document;

/** The full primary key of a document; tenant and collection form the partition key. */
record DocumentKey(String tenant, String collection, String id) {
}
