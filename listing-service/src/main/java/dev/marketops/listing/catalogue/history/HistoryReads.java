package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.problem.ApiProblem;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads of product history: filtered, newest first, keyset-paginated (a product's newest page
 * is the primary key read backwards however many versions it has), and streamed for exports.
 */
@ApplicationScoped
public class HistoryReads {

    public static final int MAX_PAGE = 200;

    /** A page and the cursor of the next one (null on the last page). */
    public record Page(List<HistoryEntry> items, String nextCursor) {
    }

    private static final String COLUMNS = "h.id, h.product_id, h.version_number, h.change_type, h.old_value::text, h.new_value::text, "
            + "h.change_reason, h.shop_id, h.operator_id, h.operator_name, h.operator_role, h.ip_address, h.device_info, h.change_time, "
            + "h.task_id, h.batch_id, h.batch_row, h.supplier_id, h.supplier_message_id, h.saga_id, h.request_id";

    private final AgroalDataSource ds;
    private final Counter queries;
    private final Counter queryErrors;

    public HistoryReads(AgroalDataSource ds, MeterRegistry registry) {
        this.ds = ds;
        this.queries = Counter.builder("marketops_history_queries_total").description("history queries").register(registry);
        this.queryErrors = Counter.builder("marketops_history_query_errors_total")
                .description("failed history queries (alert above 1% of queries, seed 002 section 7)").register(registry);
    }

    public Page page(HistoryFilter f, String cursor, int size) {
        if (size < 1 || size > MAX_PAGE) {
            throw ApiProblem.invalidField("size", "must be 1.." + MAX_PAGE, size);
        }
        List<HistoryEntry> rows = new ArrayList<>(size + 1);
        scan(f, cursor, size + 1, rows::add);
        String next = null;
        if (rows.size() > size) {
            rows.remove(size);
            HistoryEntry last = rows.get(size - 1);
            next = f.productId() != null ? Long.toString(last.versionNumber())
                    : micros(last.changeTime()) + "_" + last.id();
        }
        return new Page(rows, next);
    }

    /** Streams matching rows newest first ({@code limit} 0: all), for exports. */
    public void scan(HistoryFilter f, String cursor, long limit, Consumer<HistoryEntry> sink) {
        queries.increment();
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM product_version_history h WHERE true");
        List<Object> params = new ArrayList<>();
        where(f, sql, params);
        boolean byProduct = f.productId() != null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                if (byProduct) {
                    sql.append(" AND h.version_number < ?");
                    params.add(Long.parseLong(cursor));
                } else {
                    String[] p = cursor.split("_");
                    sql.append(" AND (h.change_time, h.id) < (?, ?)");
                    params.add(fromMicros(Long.parseLong(p[0])).atOffset(java.time.ZoneOffset.UTC));
                    params.add(Long.parseLong(p[1]));
                }
            } catch (RuntimeException e) {
                throw ApiProblem.invalidField("cursor", "is not a cursor this list gave out", cursor);
            }
        }
        sql.append(byProduct ? " ORDER BY h.version_number DESC" : " ORDER BY h.change_time DESC, h.id DESC");
        if (limit > 0) {
            sql.append(" LIMIT ").append(limit);
        }
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            if (limit == 0) {
                c.setAutoCommit(false); // a cursor: the export streams without holding every row
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setFetchSize(500);
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(entry(rs));
                    }
                }
            } finally {
                if (limit == 0) {
                    c.commit();
                    c.setAutoCommit(auto);
                }
            }
        } catch (SQLException e) {
            queryErrors.increment();
            throw new IllegalStateException("reading product history failed", e);
        }
    }

    /** The rows of one product with version in (after, upTo], oldest first. */
    public List<HistoryEntry> versions(long productId, long after, long upTo, Long shopScope) {
        List<HistoryEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM product_version_history h WHERE h.product_id = ? AND h.version_number > ? AND h.version_number <= ?"
                + " AND (CAST(? AS bigint) IS NULL OR h.shop_id = ?) ORDER BY h.version_number")) {
            ps.setLong(1, productId);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            ps.setObject(4, shopScope, java.sql.Types.BIGINT);
            ps.setObject(5, shopScope, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        } catch (SQLException e) {
            queryErrors.increment();
            throw new IllegalStateException("reading product history failed", e);
        }
        return out;
    }

    private static void where(HistoryFilter f, StringBuilder sql, List<Object> params) {
        if (f.productId() != null) {
            sql.append(" AND h.product_id = ?");
            params.add(f.productId());
        }
        if (f.from() != null) {
            sql.append(" AND h.change_time >= ?");
            params.add(f.from().atOffset(java.time.ZoneOffset.UTC));
        }
        if (f.to() != null) {
            sql.append(" AND h.change_time < ?");
            params.add(f.to().atOffset(java.time.ZoneOffset.UTC));
        }
        if (f.changeType() != null) {
            sql.append(" AND h.change_type = ?");
            params.add(f.changeType().name());
        }
        if (f.operatorId() != null) {
            sql.append(" AND h.operator_id = ?");
            params.add(f.operatorId());
        }
        if (f.batchId() != null) {
            sql.append(" AND h.batch_id = ?");
            params.add(f.batchId());
        }
        if (f.supplierId() != null) {
            sql.append(" AND h.supplier_id = ?");
            params.add(f.supplierId());
        }
        if (f.shopId() != null) {
            sql.append(" AND h.shop_id = ?");
            params.add(f.shopId());
        }
        if (f.shopScope() != null) {
            sql.append(" AND h.shop_id = ?");
            params.add(f.shopScope());
        }
    }

    private static HistoryEntry entry(ResultSet rs) throws SQLException {
        ObjectNode old, neu;
        try {
            old = (ObjectNode) ProductState.JSON.readTree(rs.getString(5));
            neu = (ObjectNode) ProductState.JSON.readTree(rs.getString(6));
        } catch (Exception e) {
            throw new SQLException("unreadable history value", e);
        }
        return new HistoryEntry(Long.toString(rs.getLong(1)), Long.toString(rs.getLong(2)), rs.getLong(3), rs.getString(4), old, neu,
                rs.getString(7), Long.toString(rs.getLong(8)), Long.toString(rs.getLong(9)), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getTimestamp(14).toInstant(),
                new HistoryEntry.Cause(str(rs, 15), str(rs, 16), (Integer) rs.getObject(17), rs.getString(18), rs.getString(19),
                        rs.getString(20), rs.getString(21)));
    }

    private static String str(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Long.toString(v);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static Instant fromMicros(long m) {
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1_000L);
    }
}
