package dev.marketops.supplier.supplier;

import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Permission;
import dev.marketops.supplier.WireEnums;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;

/**
 * The supplier registry and each supplier's sync state: supplier:admin (supplier admins and
 * admins). Endpoints, topics and sync errors are the suppliers' integration details, not for
 * the catalogue's other users.
 */
@Path("/suppliers")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.SUPPLIER_ADMIN)
public class SupplierResource {

    /** credentialRef is a reference (never a secret); ids are strings. */
    public record SupplierView(String supplierCode, String supplierName, String categoryCode, String syncMode,
                               String endpointUrl, String pushTopic, Integer pullIntervalSeconds, boolean enabled,
                               String adapter, java.util.List<String> categoryIds, String shopId, int pageSize,
                               int rateLimitPerSecond, String credentialRef, long version,
                               OffsetDateTime createdAt, OffsetDateTime updatedAt, SyncStateView syncState) {
        static SupplierView of(Supplier s, SyncStateView state) {
            return new SupplierView(s.code, s.name, s.categoryCode, s.syncMode, s.endpointUrl, s.pushTopic,
                    s.pullIntervalSeconds, s.enabled, s.adapter, s.categories().stream().map(String::valueOf).toList(),
                    String.valueOf(s.shopId), s.pageSize, s.rateLimitPerSecond, s.credentialRef, s.version,
                    s.createdAt, s.updatedAt, state);
        }
    }

    public record SyncStateView(String watermark, String pageCursor, OffsetDateTime lastSuccessAt, OffsetDateTime lastAttemptAt,
                                long syncCount, int consecutiveFailures, String lastError, long receivedCount, long appliedCount,
                                long ignoredCount, long failedCount, Double lagSeconds, OffsetDateTime nextPullAt,
                                OffsetDateTime pullRequestedAt) {
        static SyncStateView of(SupplierSyncState s) {
            return new SyncStateView(s.watermark, s.pageCursor, s.lastSuccessAt, s.lastAttemptAt, s.syncCount,
                    s.consecutiveFailures, s.lastError, s.receivedCount, s.appliedCount, s.ignoredCount, s.failedCount,
                    s.lastLagSeconds, s.nextPullAt, s.pullRequestedAt);
        }
    }

    @Inject
    SupplierService suppliers;

    /** The list leaves the sync state out (null); fetch one supplier for it. */
    @GET
    public Page<SupplierView> list(@QueryParam("categoryCode") String categoryCode,
                                   @QueryParam("syncMode") String syncMode,
                                   @QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("20") int size) {
        var filter = new SupplierService.Filter(blank(categoryCode) ? null : categoryCode,
                blank(syncMode) ? null : WireEnums.parse(SyncMode.class, "syncMode", syncMode));
        Page<Supplier> found = suppliers.list(filter, page, size);
        return new Page<>(found.items().stream().map(s -> SupplierView.of(s, null)).toList(),
                found.page(), found.size(), found.total());
    }

    @GET
    @Path("/{code}")
    public SupplierView get(@PathParam("code") String code) {
        SupplierService.SupplierWithState found = suppliers.get(code);
        return SupplierView.of(found.supplier(), found.state().map(SyncStateView::of).orElse(null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public jakarta.ws.rs.core.Response create(SupplierRequest body) {
        if (body == null) {
            throw dev.marketops.platform.problem.ApiProblem.missingField("supplierCode");
        }
        Supplier s = suppliers.create(body);
        return jakarta.ws.rs.core.Response.status(201).entity(get(s.code)).build();
    }

    /** Changes the given fields; body.version must be the version read (409 STALE_VERSION otherwise). */
    @PUT
    @Path("/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    public SupplierView update(@PathParam("code") String code, SupplierRequest body) {
        if (body == null) {
            throw dev.marketops.platform.problem.ApiProblem.missingField("version");
        }
        suppliers.update(code, body);
        return get(code);
    }

    @DELETE
    @Path("/{code}")
    public jakarta.ws.rs.core.Response delete(@PathParam("code") String code, @QueryParam("expectedVersion") Long expectedVersion) {
        suppliers.delete(code, expectedVersion);
        return jakarta.ws.rs.core.Response.noContent().build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
