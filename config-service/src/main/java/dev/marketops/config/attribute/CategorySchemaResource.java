package dev.marketops.config.attribute;

import dev.marketops.config.category.CategoryResource.CategoryView;
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
    public SchemaView schema(@PathParam("categoryId") long categoryId) {
        AttributeService.Schema s = attributes.schema(categoryId);
        return new SchemaView(CategoryView.of(s.category()), s.ancestorIds(), s.attributes());
    }
}
