/**
 * The document query model shared by gate and storage: conditions on (dotted) paths of a
 * document body ({@link io.casswarm.common.document.query.Condition}), the page asked for
 * ({@link io.casswarm.common.document.query.DocumentQuery}) and field projection
 * ({@link io.casswarm.common.document.query.Projection}). gate parses the public
 * {@code where} syntax once ({@link io.casswarm.common.document.query.WhereSyntax}); storage
 * receives the same records as JSON and serves every condition by an index, or refuses it.
 */
package io.casswarm.common.document.query;
