package dev.marketops.config.auditconfig;

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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Audit strategies. A change here can switch moderation off for a whole category and source, so
 * every write needs CONFIG_WRITE (admins only) and records the admin's user id; reads and
 * resolution need CONFIG_READ.
 */
@Path("/audit-configs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuditConfigResource {

    public record AuditConfigView(long configId, long categoryId, String sourceType, String sourceUserType,
                                  String auditStrategy, Map<String, Object> validationRules,
                                  Map<String, Object> autoApproveConditions, boolean active, long version,
                                  OffsetDateTime updatedAt, Long createdBy, Long updatedBy) {
        static AuditConfigView of(AuditConfig c) {
            return new AuditConfigView(c.id, c.categoryId, c.sourceType, c.sourceUserType, c.strategy,
                    c.validationRules, c.autoApproveConditions, c.active, c.version, c.updatedAt, c.createdBy, c.updatedBy);
        }
    }

    @Inject
    AuditConfigService configs;
    @Inject
    Caller caller;

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<AuditConfigView> list(@QueryParam("categoryId") Long categoryId, @QueryParam("sourceType") String sourceType,
                                      @QueryParam("includeInactive") @DefaultValue("false") boolean includeInactive) {
        return configs.list(categoryId, sourceType, includeInactive).stream().map(AuditConfigView::of).toList();
    }

    @GET
    @Path("/resolve")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public AuditStrategyResolver.Decision resolve(@QueryParam("categoryId") Long categoryId,
                                                  @QueryParam("sourceType") String sourceType,
                                                  @QueryParam("sourceUserType") String sourceUserType) {
        return configs.resolve(categoryId, sourceType, sourceUserType);
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public AuditConfigView get(@PathParam("id") long id) {
        return AuditConfigView.of(configs.get(id));
    }

    @POST
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public Response create(AuditConfigService.AuditConfigInput body) {
        AuditConfig c = configs.create(body, caller.userId());
        return Response.created(URI.create("/audit-configs/" + c.id)).entity(AuditConfigView.of(c)).build();
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public AuditConfigView update(@PathParam("id") long id, AuditConfigService.AuditConfigInput body) {
        return AuditConfigView.of(configs.update(id, body, caller.userId()));
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_WRITE)
    public AuditConfigView deactivate(@PathParam("id") long id) {
        return AuditConfigView.of(configs.deactivate(id, caller.userId()));
    }
}
