package dev.marketops.config.homepage;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The storefront backend's read of a published homepage group (HOMEPAGE_READ, e.g. its service
 * token). userId only picks which of the N Redis copies serves the read (the end user's id, so one
 * user keeps hitting one copy); it identifies nobody. X-Homepage-Source says where the copy came from.
 */
@Path("/storefront/homepage")
@Produces(MediaType.APPLICATION_JSON)
public class StorefrontHomepageResource {

    /** Which group serves a target, remembered briefly: the hot read path must not query the database each time. */
    private record Target(long groupId, long expiresAt) {
    }

    private static final long TARGET_TTL_MILLIS = 5_000;

    private final HomepageReader reader;
    private final HomepageStore store;
    private final java.util.Map<String, Target> targets = new java.util.concurrent.ConcurrentHashMap<>();

    public StorefrontHomepageResource(HomepageReader reader, HomepageStore store) {
        this.reader = reader;
        this.store = store;
    }

    /**
     * The homepage a storefront of a region, platform and environment shows (main seed 4.6.1 targeting):
     * the live group for exactly that platform, else the one for all platforms. X-Homepage-Group names it.
     */
    @GET
    @PermissionsAllowed(Permission.Names.HOMEPAGE_READ)
    public Uni<Response> readForTarget(@QueryParam("region") String region, @QueryParam("platform") @DefaultValue("all") String platform,
                                       @QueryParam("environment") @DefaultValue("prod") String environment,
                                       @QueryParam("userId") @DefaultValue("0") long userId,
                                       @HeaderParam("If-None-Match") String ifNoneMatch) {
        if (region == null || region.isBlank()) {
            throw ApiProblem.missingField("region");
        }
        if (!HomepageRules.PLATFORMS.contains(platform)) {
            throw ApiProblem.invalidField("platform", "must be one of " + HomepageRules.PLATFORMS, platform);
        }
        if (!HomepageRules.ENVIRONMENTS.contains(environment)) {
            throw ApiProblem.invalidField("environment", "must be one of " + HomepageRules.ENVIRONMENTS, environment);
        }
        String key = region + "|" + platform + "|" + environment;
        Target known = targets.get(key);
        Uni<Long> group = known != null && known.expiresAt() > System.currentTimeMillis()
                ? Uni.createFrom().item(known.groupId())
                : Uni.createFrom().item(() -> {
                    long id = store.liveGroupFor(region, platform, environment).orElseThrow(() -> ApiProblem.notFound(
                                    "HOMEPAGE_NOT_PUBLISHED", "no published homepage group for region " + region + ", platform "
                                            + platform + ", environment " + environment)
                            .with("region", region).with("platform", platform).with("environment", environment));
                    targets.put(key, new Target(id, System.currentTimeMillis() + TARGET_TTL_MILLIS));
                    return id;
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        return group.flatMap(id -> read(id, userId, ifNoneMatch)
                .map(r -> Response.fromResponse(r).header("X-Homepage-Group", Long.toString(id)).build()));
    }

    @GET
    @Path("/{groupId}")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_READ)
    public Uni<Response> read(@PathParam("groupId") long groupId, @QueryParam("userId") @DefaultValue("0") long userId,
                              @HeaderParam("If-None-Match") String ifNoneMatch) {
        return reader.read(groupId, userId).map(found -> {
            HomepageReader.Copy c = found.orElseThrow(() -> ApiProblem.notFound("HOMEPAGE_NOT_PUBLISHED",
                    "homepage group " + groupId + " has no published version").with("groupId", Long.toString(groupId)));
            EntityTag tag = EntityTag.valueOf(c.etag());
            Response.ResponseBuilder r = c.etag().equals(ifNoneMatch) ? Response.notModified()
                    : Response.ok(c.body(), MediaType.APPLICATION_JSON_TYPE);
            return r.tag(tag).header("X-Homepage-Source", c.source()).header("X-Homepage-Version", c.version()).build();
        });
    }
}
