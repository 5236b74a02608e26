/**
 * The user accounts, administered through gate: the administrator's endpoints to create, list,
 * read, enable or disable users and set their passwords (hashed here, stored by storage), a
 * user's change of its own password, and the bootstrap of the administrator from a secret file
 * at start.
 */
package io.casswarm.gate.users;
