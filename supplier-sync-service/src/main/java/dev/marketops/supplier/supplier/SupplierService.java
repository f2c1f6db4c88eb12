package dev.marketops.supplier.supplier;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.supplier.WireEnums;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The supplier registry: reads, and create / update / delete with optimistic versions (supplier admins). */
@ApplicationScoped
public class SupplierService {

    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final java.util.regex.Pattern CREDENTIAL_REF = java.util.regex.Pattern.compile(
            "(keycloak:client/|secret:|env:)[A-Za-z0-9_./-]{1,150}");
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("supplier\\.[a-z0-9_.-]{1,150}");

    @jakarta.inject.Inject
    dev.marketops.supplier.adapter.Adapters adapters;

    @jakarta.transaction.Transactional
    public Supplier create(SupplierRequest r) {
        if (r.supplierCode() == null) {
            throw ApiProblem.missingField("supplierCode");
        }
        if (!CODE.matcher(r.supplierCode()).matches()) {
            throw ApiProblem.invalidField("supplierCode", "must match " + CODE.pattern(), r.supplierCode());
        }
        if (Supplier.findById(r.supplierCode()) != null) {
            throw ApiProblem.conflict("SUPPLIER_EXISTS", "a supplier " + r.supplierCode() + " is registered already")
                    .with("field", "supplierCode").with("value", r.supplierCode());
        }
        Supplier s = new Supplier();
        s.code = r.supplierCode();
        s.enabled = true;
        s.pageSize = 100;
        s.rateLimitPerSecond = 20;
        s.shopId = 1;
        apply(s, r, true);
        s.updatedAt = java.time.OffsetDateTime.now();
        s.persist();
        SupplierSyncState state = new SupplierSyncState();
        state.supplierCode = s.code;
        state.updatedAt = s.updatedAt;
        state.persist();
        Supplier.getEntityManager().flush();
        Supplier.getEntityManager().refresh(s);
        return s;
    }

    @jakarta.transaction.Transactional
    public Supplier update(String code, SupplierRequest r) {
        Supplier s = get(code).supplier();
        if (r.version() == null) {
            throw ApiProblem.missingField("version");
        }
        if (r.version() != s.version) {
            throw stale(code, r.version(), s.version);
        }
        if (r.supplierCode() != null && !r.supplierCode().equals(code)) {
            throw ApiProblem.invalidField("supplierCode", "the code of a supplier does not change", r.supplierCode());
        }
        apply(s, r, false);
        s.updatedAt = java.time.OffsetDateTime.now();
        Supplier.getEntityManager().flush();
        return s;
    }

    @jakarta.transaction.Transactional
    public void delete(String code, Long expectedVersion) {
        Supplier s = get(code).supplier();
        if (expectedVersion == null) {
            throw ApiProblem.missingField("expectedVersion");
        }
        if (expectedVersion != s.version) {
            throw stale(code, expectedVersion, s.version);
        }
        Number items = (Number) Supplier.getEntityManager().createNativeQuery(
                "SELECT count(*) FROM supplier_item WHERE supplier_code = ?1").setParameter(1, code).getSingleResult();
        if (items.longValue() > 0) {
            throw ApiProblem.conflict("SUPPLIER_HAS_ITEMS", "supplier " + code + " feeds " + items + " items: disable it instead")
                    .with("supplierCode", code);
        }
        s.delete();
    }

    private static ApiProblem stale(String code, long expected, long actual) {
        return ApiProblem.conflict("STALE_VERSION", "supplier " + code + " is at version " + actual + ", not " + expected
                + "; read it again").with("field", "version").with("currentVersion", actual);
    }

    /** Copies the given fields (all required ones on create), then checks the whole entry. */
    private void apply(Supplier s, SupplierRequest r, boolean creating) {
        if (r.supplierName() != null) {
            s.name = r.supplierName();
        }
        if (r.categoryCode() != null) {
            s.categoryCode = r.categoryCode();
        }
        if (r.categoryIds() != null) {
            if (r.categoryIds().isEmpty() || r.categoryIds().stream().anyMatch(id -> id == null || id <= 0)) {
                throw ApiProblem.invalidField("categoryIds", "must name at least one category id (positive numbers)", r.categoryIds());
            }
            s.categoryIds = r.categoryIds().stream().distinct().toArray(Long[]::new);
        }
        if (r.syncMode() != null) {
            s.syncMode = WireEnums.wire(WireEnums.parse(SyncMode.class, "syncMode", r.syncMode()));
        }
        if (r.adapter() != null) {
            adapters.check("adapter", r.adapter());
            s.adapter = r.adapter();
        }
        if (r.endpointUrl() != null) {
            s.endpointUrl = r.endpointUrl().isBlank() ? null : r.endpointUrl();
        }
        if (r.pushTopic() != null) {
            s.pushTopic = r.pushTopic().isBlank() ? null : r.pushTopic();
        }
        if (r.pullIntervalSeconds() != null) {
            s.pullIntervalSeconds = r.pullIntervalSeconds();
        }
        if (r.pageSize() != null) {
            s.pageSize = r.pageSize();
        }
        if (r.rateLimitPerSecond() != null) {
            s.rateLimitPerSecond = r.rateLimitPerSecond();
        }
        if (r.credentialRef() != null) {
            s.credentialRef = r.credentialRef().isBlank() ? null : r.credentialRef();
        }
        if (r.shopId() != null) {
            s.shopId = r.shopId();
        }
        if (r.userId() != null) {
            s.userId = r.userId();
        }
        if (r.enabled() != null) {
            s.enabled = r.enabled();
        }
        for (String[] f : new String[][] {{"supplierName", s.name}, {"categoryCode", s.categoryCode}, {"syncMode", s.syncMode},
                {"adapter", s.adapter}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw ApiProblem.missingField(f[0]);
            }
        }
        if (s.categoryIds == null || s.categoryIds.length == 0) {
            throw ApiProblem.missingField("categoryIds");
        }
        if (s.pulls() && s.endpointUrl == null) {
            throw ApiProblem.missingField("endpointUrl").with("reason", "a " + s.syncMode + " supplier is pulled from its endpoint");
        }
        if (s.pulls() && s.pullIntervalSeconds == null) {
            throw ApiProblem.missingField("pullIntervalSeconds");
        }
        if (s.endpointUrl != null && !(s.endpointUrl.startsWith("http://") || s.endpointUrl.startsWith("https://"))) {
            throw ApiProblem.invalidField("endpointUrl", "must be an http(s) URL", s.endpointUrl);
        }
        if (s.endpointUrl != null && s.endpointUrl.matches(".*//[^/]*@.*")) {
            throw ApiProblem.invalidField("endpointUrl", "may not carry credentials; use credentialRef", "(hidden)");
        }
        if (s.pullIntervalSeconds != null && (s.pullIntervalSeconds < 1 || s.pullIntervalSeconds > 7 * 86400)) {
            throw ApiProblem.invalidField("pullIntervalSeconds", "must be between 1 and 604800", s.pullIntervalSeconds);
        }
        if (s.pushTopic != null && !TOPIC.matcher(s.pushTopic).matches()) {
            throw ApiProblem.invalidField("pushTopic", "must be a topic supplier.<name>", s.pushTopic);
        }
        if (s.pageSize < 1 || s.pageSize > 1000) {
            throw ApiProblem.invalidField("pageSize", "must be between 1 and 1000", s.pageSize);
        }
        if (s.rateLimitPerSecond < 1 || s.rateLimitPerSecond > 10000) {
            throw ApiProblem.invalidField("rateLimitPerSecond", "must be between 1 and 10000", s.rateLimitPerSecond);
        }
        if (s.credentialRef != null && !CREDENTIAL_REF.matcher(s.credentialRef).matches()) {
            // never echo it: it may be a secret pasted by mistake
            throw ApiProblem.invalidField("credentialRef", "must be a reference (keycloak:client/<id>, secret:<name> or env:<NAME>), "
                    + "never the secret itself", "(hidden)");
        }
        if (s.shopId <= 0) {
            throw ApiProblem.invalidField("shopId", "must be a known shop id", s.shopId);
        }
    }

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
        if ((long) page * size > Integer.MAX_VALUE) {
            // Panache's first result is an int: an overflowing offset would be a 500, not an empty page.
            throw ApiProblem.invalidField("page", "page * size may not exceed " + Integer.MAX_VALUE, page);
        }
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
