/**
 * The logging setup every casswarm service shares: the one JSON event shape with ECS field
 * names ({@link io.casswarm.common.logging.EcsJsonEncoder}, {@link io.casswarm.common.logging.EcsFields}),
 * who is logging ({@link io.casswarm.common.logging.ServiceIdentity}, written into each event by
 * {@code ServiceFieldsJsonProvider}), deterministic event ids
 * ({@link io.casswarm.common.logging.EventIds}, written by {@code EventIdJsonProvider}), the access event of each HTTP request
 * ({@link io.casswarm.common.logging.AccessLog}, {@link io.casswarm.common.logging.AccessLogFilter}),
 * and the Logback include {@code casswarm-logback.xml}. Shipping to Elasticsearch: the {@code es}
 * package.
 */
package io.casswarm.common.logging;
