/**
 * Redis client set-up: how the Lettuce client resolves and reconnects to Redis, and Redis
 * failures answered as 503. (The name is historical: the classes move to a package named for
 * Redis once the multi-node branch, which changes them, is merged.)
 */
package io.casswarm.gate.web;
