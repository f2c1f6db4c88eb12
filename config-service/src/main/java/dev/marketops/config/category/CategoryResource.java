package dev.marketops.config.category;

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

@Path("/categories")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CategoryResource {

    public record CategoryView(long categoryId, String categoryCode, String categoryName, long parentId, int level,
                               int sortOrder, String inventoryModel, String priceModel, String description,
                               boolean active, long version) {
        public static CategoryView of(Category c) {
            return new CategoryView(c.id, c.code, c.name, c.parentId, c.level, c.sortOrder, c.inventoryModel,
                    c.priceModel, c.description, c.active, c.version);
        }
    }

    @Inject
    CategoryService categories;

    @GET
    public List<CategoryView> list(@QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive,
                                   @QueryParam("parentId") Long parentId) {
        return categories.list(includeInactive).stream()
                .filter(c -> parentId == null || c.parentId == parentId)
                .map(CategoryView::of).toList();
    }

    @GET
    @Path("/{id}")
    public CategoryView get(@PathParam("id") long id) {
        return CategoryView.of(categories.get(id));
    }

    @POST
    public Response create(CategoryService.NewCategory body) {
        Category c = categories.create(body);
        return Response.created(URI.create("/categories/" + c.id)).entity(CategoryView.of(c)).build();
    }

    @PUT
    @Path("/{id}")
    public CategoryView update(@PathParam("id") long id, CategoryService.CategoryUpdate body) {
        return CategoryView.of(categories.update(id, body));
    }
}
