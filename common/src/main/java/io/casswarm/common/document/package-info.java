/**
 * Wire types of documents, the same records on both sides of gate to storage and in gate's
 * public answers: a document, a write, a page, a bulk create and its per-item results; and the
 * {@link io.casswarm.common.document.IdempotencyKey} every write carries from edge inward. The
 * query model is in {@code query}; the rules the fields follow are in
 * {@link io.casswarm.common.contract.Contract}.
 */
package io.casswarm.common.document;
