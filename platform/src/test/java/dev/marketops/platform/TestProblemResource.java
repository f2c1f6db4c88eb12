package dev.marketops.platform;

import dev.marketops.platform.problem.ApiProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

@Path("/test-problems")
@jakarta.annotation.security.PermitAll
public class TestProblemResource {

    public record Body(String name, int count) {
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw ApiProblem.conflict("STALE_VERSION", "version 3 is stale").with("currentVersion", 4);
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internals");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Body echo(Body body) {
        return body;
    }
}
