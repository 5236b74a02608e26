package io.casswarm.gate.users;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.user.UserList;
import io.casswarm.common.user.UserSummary;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;

/** User administration: the administrator only. */
@Controller("/api/v1/users")
@Secured("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "users")
@ApiResponse(responseCode = "401", description = "No valid session",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "403", description = "Not the administrator",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Operation(summary = "Create a user")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<UserSummary> create(@Valid @Body CreateUserCommand command) {
        UserSummary user = users.create(command);
        return HttpResponse.created(user, URI.create("/api/v1/users/" + user.username()));
    }

    @Operation(summary = "List users")
    @Get
    public UserList list() {
        return users.list();
    }

    @Operation(summary = "Show a user")
    @Get("/{username}")
    public UserSummary get(@PathVariable String username) {
        return users.get(username);
    }

    @Operation(summary = "Disable or enable a user", description = "Send {\"enabled\": false} to disable.")
    @Patch("/{username}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public UserSummary update(@PathVariable String username, @Valid @Body UpdateUserCommand command) {
        return users.setEnabled(username, command.enabled());
    }
}
