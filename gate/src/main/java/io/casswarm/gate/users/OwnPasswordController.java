package io.casswarm.gate.users;

import io.casswarm.common.problem.Problem;
import io.casswarm.gate.auth.SessionService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** A user changes its own password, under its session. */
@Controller("/api/v1/session/password")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "session")
@SecurityRequirement(name = "session")
public class OwnPasswordController {

    private final UserService users;
    private final SessionService sessions;

    OwnPasswordController(UserService users, SessionService sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Operation(operationId = "changeOwnPassword", summary = "Change my password",
            description = "Needs the current password (counted like a login attempt). Every session of the user ends, "
                    + "on every gate, this one too: log in again with the new password.")
    @ApiResponse(responseCode = "204", description = "Changed; the user's sessions have ended")
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @ApiResponse(responseCode = "403", description = "The current password given is wrong; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "406", ref = "#/components/responses/NotAcceptable")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    @ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
    // No body on success, problem+json on failure: an Accept of application/problem+json alone (what a
    // client generated from the document sends here) is one this route can satisfy, not a 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Put
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Void> change(HttpRequest<?> request, Authentication authentication,
                                     @Valid @Body ChangePasswordCommand command) {
        users.changeOwnPassword(authentication.getName(), command, request);
        sessions.endCurrent(request);
        return HttpResponse.noContent();
    }
}
