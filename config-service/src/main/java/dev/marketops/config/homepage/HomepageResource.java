package dev.marketops.config.homepage;

import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Operators edit a group's draft (HOMEPAGE_EDIT); publishing, scheduling and rolling back put it in
 * front of every storefront user, so they are HOMEPAGE_PUBLISH. Reading is CONFIG_READ.
 */
@Path("/homepage/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HomepageResource {

    public record GroupView(String groupId, String groupCode, String groupName, String region, String platform,
                            String environment, List<Entrance> draft, long draftVersion, int liveVersion,
                            String createdBy, String updatedBy, Instant updatedAt) {
        static GroupView of(HomepageStore.Group g) {
            return new GroupView(Long.toString(g.groupId()), g.code(), g.name(), g.region(), g.platform(), g.environment(),
                    g.draft(), g.draftVersion(), g.liveVersion(), str(g.createdBy()), str(g.updatedBy()), g.updatedAt());
        }
    }

    public record VersionView(String groupId, int versionNo, String action, Integer sourceVersion, String publishedBy,
                              Instant publishedAt, Map<String, Object> diff, Map<String, Object> document) {
        static VersionView of(HomepageStore.Version v) {
            return new VersionView(Long.toString(v.groupId()), v.versionNo(), v.action(), v.sourceVersion(),
                    str(v.publishedBy()), v.publishedAt(), v.diff(), v.document());
        }
    }

    public record ScheduleView(String scheduleId, String groupId, long draftVersion, Instant publishAt, String status,
                               Integer versionNo, String createdBy) {
        static ScheduleView of(HomepageStore.Schedule s) {
            return new ScheduleView(Long.toString(s.scheduleId()), Long.toString(s.groupId()), s.draftVersion(),
                    s.publishAt(), s.status(), s.versionNo(), str(s.createdBy()));
        }
    }

    private static String str(Long id) {
        return id == null ? null : Long.toString(id);
    }

    private final HomepageService homepage;
    private final Caller caller;

    public HomepageResource(HomepageService homepage, Caller caller) {
        this.homepage = homepage;
        this.caller = caller;
    }

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<GroupView> list() {
        return homepage.list().stream().map(GroupView::of).toList();
    }

    @POST
    @PermissionsAllowed(Permission.Names.HOMEPAGE_EDIT)
    public Response create(HomepageService.NewGroup body) {
        HomepageStore.Group g = homepage.create(body, caller.userId());
        return Response.created(URI.create("/homepage/groups/" + g.groupId())).entity(GroupView.of(g)).build();
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public GroupView get(@PathParam("id") long id) {
        return GroupView.of(homepage.get(id));
    }

    @PUT
    @Path("/{id}/draft")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_EDIT)
    public GroupView saveDraft(@PathParam("id") long id, HomepageService.DraftUpdate body) {
        return GroupView.of(homepage.saveDraft(id, body, caller.userId()));
    }

    /** 201 with the new version, or 202 with the schedule when publishAt is in the future. */
    @POST
    @Path("/{id}/publish")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_PUBLISH)
    public Response publish(@PathParam("id") long id, HomepageService.PublishRequest body) {
        HomepageService.Published p = homepage.publish(id, body, caller.userId());
        if (p.schedule() != null) {
            return Response.accepted(ScheduleView.of(p.schedule())).build();
        }
        return Response.created(URI.create("/homepage/groups/" + id + "/versions/" + p.version().versionNo()))
                .entity(VersionView.of(p.version())).build();
    }

    @POST
    @Path("/{id}/rollback")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_PUBLISH)
    public Response rollback(@PathParam("id") long id, HomepageService.RollbackRequest body) {
        HomepageStore.Version v = homepage.rollback(id, body, caller.userId());
        return Response.created(URI.create("/homepage/groups/" + id + "/versions/" + v.versionNo()))
                .entity(VersionView.of(v)).build();
    }

    @GET
    @Path("/{id}/versions")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<VersionView> versions(@PathParam("id") long id) {
        return homepage.versions(id).stream().map(VersionView::of).toList();
    }

    @GET
    @Path("/{id}/versions/{n}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public VersionView version(@PathParam("id") long id, @PathParam("n") int n) {
        return VersionView.of(homepage.version(id, n));
    }

    @GET
    @Path("/{id}/schedules")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<ScheduleView> schedules(@PathParam("id") long id) {
        return homepage.schedules(id).stream().map(ScheduleView::of).toList();
    }

    @DELETE
    @Path("/{id}/schedules/{scheduleId}")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_PUBLISH)
    public Response cancel(@PathParam("id") long id, @PathParam("scheduleId") long scheduleId) {
        homepage.cancelSchedule(id, scheduleId);
        return Response.noContent().build();
    }
}
