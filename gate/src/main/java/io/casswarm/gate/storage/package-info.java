/**
 * gate's HTTP client of storage: the instances behind the storage name
 * ({@link io.casswarm.gate.storage.StorageInstances}), one call with its retries on the next
 * instance ({@link io.casswarm.gate.storage.StorageClient}), the document and user operations on
 * top ({@link io.casswarm.gate.storage.StorageDocumentClient},
 * {@link io.casswarm.gate.storage.StorageUserClient}) reading storage's answers into common's wire
 * types, and storage's health as seen from gate.
 */
package io.casswarm.gate.storage;
