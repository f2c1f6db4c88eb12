package dev.marketops.config.attribute;

import dev.marketops.config.category.CategoryResource.CategoryView;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/categories/{categoryId}/schema")
@Produces(MediaType.APPLICATION_JSON)
public class CategorySchemaResource {

    public record SchemaView(CategoryView category, List<Long> ancestorIds, List<AttributeDefinition> attributes) {
    }

    @Inject
    AttributeService attributes;

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public SchemaView schema(@PathParam("categoryId") long categoryId) {
        AttributeService.Schema s = attributes.schema(categoryId);
        return new SchemaView(CategoryView.of(s.category()), s.ancestorIds(), s.attributes());
    }

    /** The numbered versions of the category's own attribute schema, newest first (who, when, the diff). */
    @GET
    @Path("/versions")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<SchemaVersions.Version> versions(@PathParam("categoryId") long categoryId) {
        return attributes.versions(categoryId);
    }
}
