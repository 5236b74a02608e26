package io.casswarm.gate.auth;

import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** Log in, who am I, log out. */
@Controller("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "session")
@ApiResponse(responseCode = "406", ref = "#/components/responses/NotAcceptable")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class SessionController {

    private final SessionService sessions;

    SessionController(SessionService sessions) {
        this.sessions = sessions;
    }

    @Operation(operationId = "login", summary = "Log in",
            description = "Opens a new session. Its id comes back in the X-Auth-Token header and the __Host-SESSION cookie; "
                    + "send either on later requests, to any gate.")
    @ApiResponse(responseCode = "200", description = "Logged in",
            headers = @Header(name = "X-Auth-Token", ref = "#/components/headers/XAuthToken"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionView.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @ApiResponse(responseCode = "401", description = "Wrong user name or password, or the user is disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> login(HttpRequest<?> request, @Valid @Body LoginCommand login) {
        return sessions.login(request, login);
    }

    @Operation(operationId = "whoAmI", summary = "Who am I")
    @ApiResponse(responseCode = "200", description = "The session's user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionView.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @SecurityRequirement(name = "session")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Get
    public SessionView whoAmI(Authentication authentication) {
        return sessions.view(authentication);
    }

    @Operation(operationId = "logout", summary = "Log out", description = "Ends the session on every gate.")
    @ApiResponse(responseCode = "204", description = "Logged out")
    @ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @SecurityRequirement(name = "session")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    // No body on success, problem+json on failure: an Accept of application/problem+json alone (what a
    // client generated from the document sends here) is one this route can satisfy, not a 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Delete
    public HttpResponse<Void> logout(HttpRequest<?> request) {
        if (!sessions.logout(request)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "no session to end");
        }
        return HttpResponse.noContent();
    }
}
