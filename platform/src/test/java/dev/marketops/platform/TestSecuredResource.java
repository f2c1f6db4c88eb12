package dev.marketops.platform;

import dev.marketops.platform.limits.RateLimited;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** Endpoints exercising the platform's access rules (PlatformSecurityTest). */
@Path("/test-secured")
public class TestSecuredResource {

    @Inject
    Caller caller;

    @GET
    @Path("/config-write")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public Actor configWrite() {
        return caller.actor();
    }

    @GET
    @Path("/listing-read")
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public Actor listingRead(@QueryParam("creatorId") Long creatorId) {
        caller.sameAsCaller("creatorId", creatorId, caller.userId());
        return caller.actor();
    }

    /** No security annotation: closed by default. */
    @GET
    @Path("/forgotten")
    public String forgotten() {
        return "should never be seen";
    }

    @POST
    @Path("/limited")
    @PermissionsAllowed(Permission.Names.LISTING_WRITE)
    @RateLimited("test-burst")
    public String limited() {
        return "ok";
    }
}
