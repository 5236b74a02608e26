/**
 * Reading secrets: every credential of the stack is a Docker secret, a file under
 * {@code /run/secrets/} whose path a {@code *_FILE} setting names (never an environment
 * variable's value), read the same way by gate and storage.
 */
package io.casswarm.common.secret;
