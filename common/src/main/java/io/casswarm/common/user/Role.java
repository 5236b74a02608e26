package io.casswarm.common.user;

/** What a user may do: ADMIN manages users, USER works with its own documents. */
public enum Role {
    ADMIN,
    USER
}
