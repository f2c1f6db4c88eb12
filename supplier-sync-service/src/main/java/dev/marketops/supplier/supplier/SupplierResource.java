package dev.marketops.supplier.supplier;

import dev.marketops.platform.rest.Page;
import dev.marketops.supplier.WireEnums;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;

@Path("/suppliers")
@Produces(MediaType.APPLICATION_JSON)
public class SupplierResource {

    public record SupplierView(String supplierCode, String supplierName, String categoryCode, String syncMode,
                               String endpointUrl, String pushTopic, Integer pullIntervalSeconds, boolean enabled,
                               OffsetDateTime createdAt, OffsetDateTime updatedAt, SyncStateView syncState) {
        static SupplierView of(Supplier s, SyncStateView state) {
            return new SupplierView(s.code, s.name, s.categoryCode, s.syncMode, s.endpointUrl, s.pushTopic,
                    s.pullIntervalSeconds, s.enabled, s.createdAt, s.updatedAt, state);
        }
    }

    public record SyncStateView(String watermark, OffsetDateTime lastSuccessAt, OffsetDateTime lastAttemptAt,
                                long syncCount, int consecutiveFailures, String lastError) {
        static SyncStateView of(SupplierSyncState s) {
            return new SyncStateView(s.watermark, s.lastSuccessAt, s.lastAttemptAt, s.syncCount,
                    s.consecutiveFailures, s.lastError);
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

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
