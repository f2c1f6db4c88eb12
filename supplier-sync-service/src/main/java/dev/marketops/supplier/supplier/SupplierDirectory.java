package dev.marketops.supplier.supplier;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry reads for the sync paths (gRPC streams, Kafka polls, pull workers), by plain JDBC and
 * cached for two seconds, so a stream of updates costs no registry query per message and an
 * admin's change (disable, categories) takes effect within seconds.
 */
@ApplicationScoped
public class SupplierDirectory {

    private static final long TTL_MS = 2000;
    private static final String COLUMNS = "supplier_code, supplier_name, category_code, sync_mode, endpoint_url, push_topic, "
            + "pull_interval_seconds, enabled, adapter, category_ids, shop_id, page_size, rate_limit_per_second, credential_ref, "
            + "user_id, version";

    private record Cached(Optional<Supplier> supplier, long until) {
    }

    @Inject
    AgroalDataSource ds;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Optional<Supplier> find(String code) {
        Cached c = cache.get(code);
        if (c != null && c.until() > System.currentTimeMillis()) {
            return c.supplier();
        }
        List<Supplier> found = query("WHERE supplier_code = ?", code);
        Optional<Supplier> s = found.stream().findFirst();
        cache.put(code, new Cached(s, System.currentTimeMillis() + TTL_MS));
        return s;
    }

    /** Enabled suppliers that are pulled. */
    public List<Supplier> pulled() {
        return query("WHERE enabled AND sync_mode IN ('pull', 'both') ORDER BY supplier_code");
    }

    public List<Supplier> all() {
        return query("ORDER BY supplier_code");
    }

    private List<Supplier> query(String where, String... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM supplier " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<Supplier> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Supplier s = new Supplier();
                    s.code = rs.getString(1);
                    s.name = rs.getString(2);
                    s.categoryCode = rs.getString(3);
                    s.syncMode = rs.getString(4);
                    s.endpointUrl = rs.getString(5);
                    s.pushTopic = rs.getString(6);
                    s.pullIntervalSeconds = (Integer) rs.getObject(7);
                    s.enabled = rs.getBoolean(8);
                    s.adapter = rs.getString(9);
                    Array a = rs.getArray(10);
                    s.categoryIds = a == null ? new Long[0] : (Long[]) a.getArray();
                    s.shopId = rs.getLong(11);
                    s.pageSize = rs.getInt(12);
                    s.rateLimitPerSecond = rs.getInt(13);
                    s.credentialRef = rs.getString(14);
                    s.userId = rs.getLong(15);
                    s.version = rs.getLong(16);
                    out.add(s);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the supplier registry", e);
        }
    }
}
