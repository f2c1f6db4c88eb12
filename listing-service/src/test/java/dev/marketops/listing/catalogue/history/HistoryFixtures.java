package dev.marketops.listing.catalogue.history;

import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** Reads product history rows straight from the table, and calls as a given user. */
final class HistoryFixtures {

    private final AgroalDataSource ds;

    HistoryFixtures(AgroalDataSource ds) {
        this.ds = ds;
    }

    static long newShopId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
    }

    static <T> T as(long userId, String role, String name, String ip, String agent, Callable<T> call) {
        try {
            return ActorPropagation.callAs(new Actor(userId, role, Set.of(role), null, ip, agent, name), call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The product's rows, oldest first, as column -> value. */
    List<Map<String, Object>> rows(long itemId) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT version_number, change_type, old_value::text AS old_value, new_value::text AS new_value, change_reason,
                       operator_id, operator_name, operator_role, ip_address, device_info, task_id, batch_id, batch_row,
                       supplier_id, supplier_message_id, saga_id, request_id
                FROM product_version_history WHERE product_id = ? ORDER BY version_number""")) {
            ps.setLong(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(m);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    Map<String, Object> last(long itemId) {
        List<Map<String, Object>> r = rows(itemId);
        return r.get(r.size() - 1);
    }

    long one(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
