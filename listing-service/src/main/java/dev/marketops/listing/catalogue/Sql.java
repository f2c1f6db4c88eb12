package dev.marketops.listing.catalogue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/** Array parameters for set-based statements ({@code unnest(?::bigint[], ...)}). */
final class Sql {

    private Sql() {
    }

    /**
     * The merchant confinement of a query over {@code item i}: bind with {@link #scope}; a null
     * scope (staff, services) matches every shop.
     */
    static final String IN_SCOPE = " AND (CAST(? AS bigint) IS NULL OR i.shop_id = ?)";

    /** Binds {@link #IN_SCOPE}'s two parameters from {@code index}. */
    static void scope(PreparedStatement ps, int index, Long shopScope) throws SQLException {
        ps.setObject(index, shopScope, java.sql.Types.BIGINT);
        ps.setObject(index + 1, shopScope, java.sql.Types.BIGINT);
    }

    static Array longs(Connection c, Collection<Long> values) throws SQLException {
        return c.createArrayOf("bigint", values.toArray());
    }

    static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    static Array ints(Connection c, Collection<Integer> values) throws SQLException {
        return c.createArrayOf("integer", values.toArray());
    }

    /** Binds the arrays in order and runs the statement; answers the updated row count. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /**
     * Moves the items' versions on (every change of an item, its SKUs, prices or stock does)
     * and answers each item's new version; one statement for the lot.
     */
    static java.util.Map<Long, Long> bumpVersions(Connection c, Collection<Long> itemIds) throws SQLException {
        java.util.Map<Long, Long> versions = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE item SET version = version + 1, updated_at = now() WHERE item_id = ANY(?) RETURNING item_id, version")) {
            ps.setArray(1, longs(c, itemIds));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return versions;
    }

    /** The first batch row of each item among a chunk's rows (the row recorded with its history). */
    static <T> java.util.Map<Long, Integer> firstRows(java.util.List<T> rows, java.util.function.ToLongFunction<T> item,
                                                      java.util.function.ToIntFunction<T> index) {
        java.util.Map<Long, Integer> out = new java.util.HashMap<>();
        for (T r : rows) {
            out.putIfAbsent(item.applyAsLong(r), index.applyAsInt(r));
        }
        return out;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
