package dev.marketops.config.category;

import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

/** The category tree: everyone who works with listings reads it (CONFIG_READ); only admins change it (CONFIG_WRITE). */
@Path("/categories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CategoryResource {

    public record CategoryView(long categoryId, String categoryCode, String categoryName, long parentId, int level,
                               int sortOrder, String inventoryModel, String priceModel, String description,
                               boolean active, long version, Long createdBy, Long updatedBy) {
        public static CategoryView of(Category c) {
            return new CategoryView(c.id, c.code, c.name, c.parentId, c.level, c.sortOrder, c.inventoryModel,
                    c.priceModel, c.description, c.active, c.version, c.createdBy, c.updatedBy);
        }
    }

    @Inject
    CategoryService categories;
    @Inject
    Caller caller;
    @Inject
    CategoryTreeDocument treeDocument;

    /**
     * The whole tree as one document (ids as strings, children nested in their order, "enabled" false
     * under a disabled ancestor). Cached by ETag: a matching If-None-Match is a 304 without a body.
     */
    @GET
    @Path("/tree")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public Response tree(@jakarta.ws.rs.HeaderParam("If-None-Match") String ifNoneMatch) {
        CategoryTreeDocument.Snapshot s = treeDocument.current();
        if (ifNoneMatch != null && java.util.Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(t -> t.equals(s.etag()) || t.equals("W/" + s.etag()) || t.equals("*"))) {
            return Response.notModified().tag(jakarta.ws.rs.core.EntityTag.valueOf(s.etag()))
                    .header("Cache-Control", "private, no-cache").build();
        }
        return Response.ok(s.body(), MediaType.APPLICATION_JSON_TYPE).tag(jakarta.ws.rs.core.EntityTag.valueOf(s.etag()))
                .header("Cache-Control", "private, no-cache").build();
    }

    @POST
    @Path("/{id}/move")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public CategoryView move(@PathParam("id") long id, CategoryService.MoveRequest body) {
        return CategoryView.of(categories.move(id, body, caller.userId()));
    }

    @PUT
    @Path("/order")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public List<CategoryView> reorder(CategoryService.OrderRequest body) {
        return categories.reorder(body, caller.userId()).stream().map(CategoryView::of).toList();
    }

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<CategoryView> list(@QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive,
                                   @QueryParam("parentId") Long parentId) {
        return categories.list(includeInactive).stream()
                .filter(c -> parentId == null || c.parentId == parentId)
                .map(CategoryView::of).toList();
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public CategoryView get(@PathParam("id") long id) {
        return CategoryView.of(categories.get(id));
    }

    @POST
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public Response create(CategoryService.NewCategory body) {
        Category c = categories.create(body, caller.userId());
        return Response.created(URI.create("/categories/" + c.id)).entity(CategoryView.of(c)).build();
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public CategoryView update(@PathParam("id") long id, CategoryService.CategoryUpdate body) {
        return CategoryView.of(categories.update(id, body, caller.userId()));
    }
}
