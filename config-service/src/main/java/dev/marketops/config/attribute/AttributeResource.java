package dev.marketops.config.attribute;

import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
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

/**
 * The attributes a category declares itself; GET /categories/{id}/schema gives those in effect.
 * A change that would invalidate online items (made required, enum values removed, type changed)
 * answers 409 CONFIRMATION_REQUIRED with the count, a sample and the schema version, and is applied
 * when repeated with {@code ?confirm=true&schemaVersion=N} (a moved schema: 409 STALE_SCHEMA_VERSION).
 * Reads need CONFIG_READ, changes CONFIG_WRITE (admins): an attribute rule decides what every
 * listing of the category may carry.
 */
@Path("/categories/{categoryId}/attributes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AttributeResource {

    public record AttributeView(long attributeId, long categoryId, String code, String name, String type,
                                boolean required, String defaultValue, List<String> enumValues,
                                Map<String, Object> validationRule, int sortOrder, String description,
                                boolean active, long version, Long createdBy, Long updatedBy) {
        static AttributeView of(CategoryAttribute a) {
            return new AttributeView(a.id, a.categoryId, a.code, a.name, a.type, a.required, a.defaultValue,
                    a.enumValues, a.validationRule, a.sortOrder, a.description, a.active, a.version, a.createdBy, a.updatedBy);
        }
    }

    @Inject
    AttributeService attributes;
    @Inject
    Caller caller;

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<AttributeView> list(@PathParam("categoryId") long categoryId,
                                    @QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive) {
        return attributes.list(categoryId, includeInactive).stream().map(AttributeView::of).toList();
    }

    @GET
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public AttributeView get(@PathParam("categoryId") long categoryId, @PathParam("code") String code) {
        return AttributeView.of(attributes.get(categoryId, code));
    }

    @POST
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public Response create(@PathParam("categoryId") long categoryId, @QueryParam("confirm") @DefaultValue("false") boolean confirm,
                           @QueryParam("schemaVersion") Integer schemaVersion, AttributeService.AttributeInput body) {
        CategoryAttribute a = attributes.create(categoryId, body, new AttributeService.Confirmation(confirm, schemaVersion),
                caller.userId());
        return Response.created(URI.create("/categories/" + categoryId + "/attributes/" + a.code))
                .entity(AttributeView.of(a)).build();
    }

    @PUT
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public AttributeView update(@PathParam("categoryId") long categoryId, @PathParam("code") String code,
                                @QueryParam("confirm") @DefaultValue("false") boolean confirm,
                                @QueryParam("schemaVersion") Integer schemaVersion, AttributeService.AttributeInput body) {
        return AttributeView.of(attributes.update(categoryId, code, body,
                new AttributeService.Confirmation(confirm, schemaVersion), caller.userId()));
    }

    @DELETE
    @Path("/{code}")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public AttributeView deactivate(@PathParam("categoryId") long categoryId, @PathParam("code") String code) {
        return AttributeView.of(attributes.deactivate(categoryId, code, caller.userId()));
    }
}
