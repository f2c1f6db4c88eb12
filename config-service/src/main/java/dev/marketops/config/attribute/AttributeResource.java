package dev.marketops.config.attribute;

import jakarta.inject.Inject;
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
import java.util.Map;

/** The attributes a category declares itself; GET /categories/{id}/schema gives those in effect. */
@Path("/categories/{categoryId}/attributes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AttributeResource {

    public record AttributeView(long attributeId, long categoryId, String code, String name, String type,
                                boolean required, String defaultValue, List<String> enumValues,
                                Map<String, Object> validationRule, int sortOrder, String description,
                                boolean active, long version) {
        static AttributeView of(CategoryAttribute a) {
            return new AttributeView(a.id, a.categoryId, a.code, a.name, a.type, a.required, a.defaultValue,
                    a.enumValues, a.validationRule, a.sortOrder, a.description, a.active, a.version);
        }
    }

    @Inject
    AttributeService attributes;

    @GET
    public List<AttributeView> list(@PathParam("categoryId") long categoryId,
                                    @QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive) {
        return attributes.list(categoryId, includeInactive).stream().map(AttributeView::of).toList();
    }

    @GET
    @Path("/{code}")
    public AttributeView get(@PathParam("categoryId") long categoryId, @PathParam("code") String code) {
        return AttributeView.of(attributes.get(categoryId, code));
    }

    @POST
    public Response create(@PathParam("categoryId") long categoryId, AttributeService.AttributeInput body) {
        CategoryAttribute a = attributes.create(categoryId, body);
        return Response.created(URI.create("/categories/" + categoryId + "/attributes/" + a.code))
                .entity(AttributeView.of(a)).build();
    }

    @PUT
    @Path("/{code}")
    public AttributeView update(@PathParam("categoryId") long categoryId, @PathParam("code") String code,
                                AttributeService.AttributeInput body) {
        return AttributeView.of(attributes.update(categoryId, code, body));
    }

    @DELETE
    @Path("/{code}")
    public AttributeView deactivate(@PathParam("categoryId") long categoryId, @PathParam("code") String code) {
        return AttributeView.of(attributes.deactivate(categoryId, code));
    }
}
