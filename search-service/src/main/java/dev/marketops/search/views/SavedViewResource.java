package dev.marketops.search.views;

import dev.marketops.platform.problem.ApiProblem;
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
import java.util.List;

/** Saved views of the product list (filter + columns + sort), kept per user: whoever may search may keep views. */
@Path("/search/views")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.CATALOGUE_READ)
public class SavedViewResource {

    public record Views(List<SavedViews.SavedView> items, int total) {
    }

    private final SavedViews views;
    private final Caller caller;

    public SavedViewResource(SavedViews views, Caller caller) {
        this.views = views;
        this.caller = caller;
    }

    @GET
    public Views list() {
        List<SavedViews.SavedView> all = views.visible(caller.actor());
        return new Views(all, all.size());
    }

    @GET
    @Path("/{viewId}")
    public SavedViews.SavedView get(@PathParam("viewId") String viewId) {
        return views.get(id(viewId), caller.actor());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(SavedViews.ViewInput body) {
        SavedViews.SavedView v = views.create(body, caller.actor());
        return Response.created(URI.create("/search/views/" + v.viewId())).entity(v).build();
    }

    @PUT
    @Path("/{viewId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public SavedViews.SavedView replace(@PathParam("viewId") String viewId, SavedViews.ViewInput body) {
        return views.replace(id(viewId), body, caller.actor());
    }

    @DELETE
    @Path("/{viewId}")
    public Response delete(@PathParam("viewId") String viewId) {
        views.delete(id(viewId), caller.actor());
        return Response.noContent().build();
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("viewId", "must be an integer", raw);
        }
    }
}
