/**
 * The user accounts, administered through gate: the administrator's endpoints to create, list,
 * read and enable or disable users (passwords hashed here, stored by storage), and the bootstrap
 * of the administrator from a secret file at start.
 */
package io.casswarm.gate.users;
