/**
 * Users as storage keeps them (name, password hash, role, enabled): the internal user API and
 * the one repository of their CQL.
 */
package io.casswarm.storage.user;
