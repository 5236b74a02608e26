package io.casswarm.gate;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Entry point of gate: the public REST API. Operations that need a session say so with
 * {@code @SecurityRequirement(name = "session")}; logging in needs none.
 */
@OpenAPIDefinition(info = @Info(
        title = "casswarm",
        version = "1",
        description = "A document store: JSON documents in named collections, one tenant per user. "
                + "Log in with POST /api/v1/session and send the X-Auth-Token header (or the __Host-SESSION cookie). "
                + "Errors are application/problem+json (RFC 9457)."))
@SecurityScheme(name = "session", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-Auth-Token", description = "The session token POST /api/v1/session returns")
public final class GateApplication {

    private GateApplication() {
    }

    public static void main(String[] args) {
        // Storage instances come and go (swarm tasks): see DNS changes within seconds.
        java.security.Security.setProperty("networkaddress.cache.ttl", "2");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
        Micronaut.run(GateApplication.class, args);
    }
}
