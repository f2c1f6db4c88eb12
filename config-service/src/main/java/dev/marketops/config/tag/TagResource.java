package dev.marketops.config.tag;

import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Tags: read with CONFIG_READ, managed by merchandising operators (HOMEPAGE_EDIT). */
@Path("/tags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TagResource {

    public record TagView(String tagId, String tagCode, String tagName, String tagType, String iconUrl, int priority,
                          boolean active, long version, String updatedBy) {
        static TagView of(Tag t) {
            return new TagView(Long.toString(t.id), t.code, t.name, t.type, t.iconUrl, t.priority, t.active, t.version,
                    t.updatedBy == null ? null : Long.toString(t.updatedBy));
        }
    }

    private final TagService tags;
    private final Caller caller;

    public TagResource(TagService tags, Caller caller) {
        this.tags = tags;
        this.caller = caller;
    }

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<TagView> list(@QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive) {
        return tags.list(includeInactive).stream().map(TagView::of).toList();
    }

    @GET
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public TagView get(@PathParam("code") String code) {
        return TagView.of(tags.get(code));
    }

    @POST
    @PermissionsAllowed(Permission.Names.HOMEPAGE_EDIT)
    public Response create(TagService.NewTag body) {
        Tag t = tags.create(body, caller.userId());
        return Response.created(URI.create("/tags/" + t.code)).entity(TagView.of(t)).build();
    }

    @PUT
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_EDIT)
    public TagView update(@PathParam("code") String code, TagService.TagUpdate body) {
        return TagView.of(tags.update(code, body, caller.userId()));
    }

    @DELETE
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.HOMEPAGE_EDIT)
    public TagView deactivate(@PathParam("code") String code) {
        return TagView.of(tags.deactivate(code, caller.userId()));
    }
}
