/**
 * The web layer gate and storage share, so that both answer alike: the request id of every
 * request ({@link io.casswarm.common.http.RequestIdFilter}, {@link io.casswarm.common.http.RequestIds}),
 * the one problem+json mapping ({@link io.casswarm.common.http.Problems} for a problem,
 * {@code ProblemExceptionHandler} for a thrown one, {@code ProblemErrorResponseProcessor} for
 * Micronaut's own errors), entity tags and conditional headers
 * ({@link io.casswarm.common.http.Preconditions}), the Content-Type rule
 * ({@link io.casswarm.common.http.ContentTypeFilter}), the strict JSON binding
 * ({@code StrictJson}), and the storage credential: the bearer token gate sends and storage
 * checks on every request ({@code StorageCredential}, {@code StorageCredentialFilter},
 * {@code StorageCredentialSettings}, {@code casswarm.storage-credential.*}).
 *
 * <p>Why not micronaut-problem-json: the only 3.x release reachable here is 3.3.0 (the platform
 * names 3.9.0), it builds on Zalando's {@code org.zalando:problem} (no release since 2021), whose
 * {@code Problem} would replace the wire record bulk answers carry between the services and
 * needs its own Jackson module to be read back, and it sets no {@code Retry-After}: the mapping
 * would still need this code around it. The whole mapping here is three small classes.
 */
package io.casswarm.common.http;
