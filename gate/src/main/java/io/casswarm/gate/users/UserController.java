package io.casswarm.gate.users;

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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;

/** User administration: the administrator only. */
@Controller("/api/v1/users")
@Secured("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "users")
@SecurityRequirement(name = "session")
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
@ApiResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
@ApiResponse(responseCode = "406", ref = "#/components/responses/NotAcceptable")
@ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Operation(operationId = "createUser", summary = "Create a user",
            description = "A user is a tenant: it sees only its own collections. Role USER unless given.")
    @ApiResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", ref = "#/components/headers/Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserSummary.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<UserSummary> create(@Valid @Body CreateUserCommand command) {
        UserSummary user = users.create(command);
        return HttpResponse.created(user, URI.create("/api/v1/users/" + user.username()));
    }

    @Operation(operationId = "listUsers", summary = "List users")
    @ApiResponse(responseCode = "200", description = "Every user (never a password hash)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserList.class)))
    @Get
    public UserList list() {
        return users.list();
    }

    @Operation(operationId = "getUser", summary = "Show a user")
    @ApiResponse(responseCode = "200", description = "The user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserSummary.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @Get("/{username}")
    public UserSummary get(@PathVariable String username) {
        return users.get(username);
    }

    @Operation(operationId = "updateUser", summary = "Disable or enable a user, or set its password",
            description = "Send {\"enabled\": false} to disable: the user's sessions end at once on every gate;"
                    + " {\"enabled\": true} enables it again (its old sessions stay ended)."
                    + " {\"password\": \"...\"} sets a new password and ends the user's sessions."
                    + " The administrator cannot be disabled (409).")
    @ApiResponse(responseCode = "200", description = "The user as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserSummary.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @Patch("/{username}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public UserSummary update(@PathVariable String username, @Valid @Body UpdateUserCommand command) {
        return users.update(username, command);
    }
}
