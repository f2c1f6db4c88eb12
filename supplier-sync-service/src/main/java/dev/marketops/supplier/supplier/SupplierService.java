package dev.marketops.supplier.supplier;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.supplier.WireEnums;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read side of the supplier registry; push consumption and scheduled pull come with later issues. */
@ApplicationScoped
public class SupplierService {

    public record Filter(String categoryCode, SyncMode syncMode) {
    }

    /** A supplier and where its sync stands (empty until the first sync attempt is recorded). */
    public record SupplierWithState(Supplier supplier, Optional<SupplierSyncState> state) {
    }

    public SupplierWithState get(String code) {
        Supplier supplier = Supplier.<Supplier>findByIdOptional(code).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_SUPPLIER", "no supplier with code " + code).with("supplierCode", code));
        return new SupplierWithState(supplier, SupplierSyncState.findByIdOptional(code));
    }

    public Page<Supplier> list(Filter filter, int page, int size) {
        Page.check(page, size);
        var query = query(filter);
        return new Page<>(query.page(page, size).list(), page, size, query.count());
    }

    /** The whole registry (tens of suppliers), for gRPC callers that want every match. */
    public List<Supplier> listAll(Filter filter) {
        return query(filter).list();
    }

    private static io.quarkus.hibernate.orm.panache.PanacheQuery<Supplier> query(Filter filter) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.categoryCode() != null) {
            where.append(" and categoryCode = :categoryCode");
            params.put("categoryCode", filter.categoryCode());
        }
        if (filter.syncMode() != null) {
            where.append(" and syncMode = :syncMode");
            params.put("syncMode", WireEnums.wire(filter.syncMode()));
        }
        return Supplier.find(where + " order by code", params);
    }
}
