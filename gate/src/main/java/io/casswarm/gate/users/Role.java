package io.casswarm.gate.users;

/** What a user may do: an ADMIN manages users, a USER owns documents in its own tenant. */
public enum Role {
    ADMIN,
    USER
}
