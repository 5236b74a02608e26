package io.casswarm.common.user;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/** All users, without password hashes. */
@Introspected
public record UserList(List<UserSummary> items) {
}
