/**
 * gate, the public REST API: sessions ({@code auth}), users ({@code users}) and documents
 * ({@code documents}) of the logged-in tenant, admission by rate limits and disabled users
 * ({@code admission}), the HTTP client of storage ({@code storage}), Redis client set-up
 * ({@code redis}), the headers every answer carries ({@code http}). The web layer it shares with
 * storage (request ids, problem+json, ETags, strict JSON) is in {@code io.casswarm.common.http}.
 */
package io.casswarm.gate;
