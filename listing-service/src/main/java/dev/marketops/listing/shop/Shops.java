package dev.marketops.listing.shop;

import dev.marketops.platform.security.Actor;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The known shops (table {@code shop}) and the shop a caller is confined to. A merchant works
 * only in its own shop (its token's merchant_id); staff and services are not confined.
 */
@ApplicationScoped
public class Shops {

    public record Shop(long shopId, String name, Long merchantId, String status) {
    }

    @Inject
    AgroalDataSource ds;

    /** The shop a merchant is confined to; null for staff and services (every shop). */
    public static Long scopeOf(Actor actor) {
        return actor != null && actor.isMerchant() ? actor.merchantId() : null;
    }

    /** The known shops among these ids, in one query. */
    public Map<Long, Shop> find(Collection<Long> shopIds) {
        Map<Long, Shop> out = new HashMap<>();
        if (shopIds.isEmpty()) {
            return out;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT shop_id, name, merchant_id, status FROM shop WHERE shop_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", shopIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long merchant = rs.getLong(3);
                    Long merchantId = rs.wasNull() ? null : merchant;
                    out.put(rs.getLong(1), new Shop(rs.getLong(1), rs.getString(2), merchantId, rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading shops failed", e);
        }
        return out;
    }
}
