package io.casswarm.storage.user;

import io.casswarm.common.user.User;
import io.casswarm.common.user.UserCreate;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.casswarm.common.user.UserUpdate;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/** The internal users API of docs/CONTRACT.md. */
@Controller("/internal/v1/users")
final class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Post
    CompletionStage<HttpResponse<UserSummary>> create(@Body UserCreate create) {
        return users.create(create).thenApply(user ->
                HttpResponse.created(user, URI.create("/internal/v1/users/" + user.username())));
    }

    @Get("/{username}")
    CompletionStage<User> get(@PathVariable String username) {
        return users.get(username);
    }

    @Get
    CompletionStage<UserList> list() {
        return users.list().thenApply(UserList::new);
    }

    @Patch("/{username}")
    CompletionStage<UserSummary> update(@PathVariable String username, @Body UserUpdate update) {
        return users.update(username, update);
    }
}
