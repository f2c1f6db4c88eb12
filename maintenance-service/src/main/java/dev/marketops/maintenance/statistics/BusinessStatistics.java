package dev.marketops.maintenance.statistics;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The seed's business statistics, per hour and per UTC day, read set-based from the services'
 * schemas (one database), and supplier sync success and lag from this service's own sums of
 * supplier-sync-service's events (supplier_sync_hour), upserted into statistic: every run recomputes the current and the
 * previous hour and day, so late rows of a bucket that just ended are counted too. A source table
 * that does not exist (yet) is left out of the run.
 */
@ApplicationScoped
public class BusinessStatistics {

    /** One figure family: its source table and the SELECT (bucket, metric, dimensions, value) over [?, ?). */
    private record Query(String schemaKey, String table, List<String> metrics, String sql) {
    }

    private static final List<Query> QUERIES = List.of(
            new Query("listing", "listing_task", List.of("listings_created"), """
                    SELECT 'listings_created', jsonb_build_object('category_id', category_id::text, 'status', status::text,
                           'source_type', source_type), count(*)
                      FROM %s WHERE created_at >= ? AND created_at < ? GROUP BY category_id, status, source_type"""),
            new Query("audit", "listing_audit_log", List.of("audit_decisions", "audit_pass_rate", "audit_duration_ms_avg"), """
                    SELECT m.metric, jsonb_build_object('audit_type', a.audit_type), m.value
                      FROM (SELECT audit_type, count(*) AS decisions,
                                   count(*) FILTER (WHERE audit_action = 'approve') AS approved,
                                   count(*) FILTER (WHERE audit_action IN ('approve', 'reject')) AS decided,
                                   avg(duration_ms) AS avg_ms
                              FROM %s WHERE audit_time >= ? AND audit_time < ? GROUP BY audit_type) a
                     CROSS JOIN LATERAL (VALUES ('audit_decisions', a.decisions::float8),
                                                ('audit_pass_rate', CASE WHEN a.decided = 0 THEN NULL ELSE a.approved::float8 / a.decided END),
                                                ('audit_duration_ms_avg', a.avg_ms::float8)) AS m(metric, value)
                     WHERE m.value IS NOT NULL"""),
            new Query("batch", "operation_batch_task",
                    List.of("batches_finished", "batch_rows", "batch_failed_rows", "batch_duration_seconds_avg"), """
                    SELECT m.metric, jsonb_build_object('operation_type', b.operation_type, 'status', b.status), m.value
                      FROM (SELECT operation_type, status, count(*) AS batches, sum(total_count) AS total_rows,
                                   sum(failed_count) AS failed_rows,
                                   avg(extract(epoch FROM finished_at - coalesce(started_at, created_at))) AS avg_s
                              FROM %s WHERE finished_at >= ? AND finished_at < ? GROUP BY operation_type, status) b
                     CROSS JOIN LATERAL (VALUES ('batches_finished', b.batches::float8), ('batch_rows', b.total_rows::float8),
                                                ('batch_failed_rows', b.failed_rows::float8),
                                                ('batch_duration_seconds_avg', b.avg_s::float8)) AS m(metric, value)
                     WHERE m.value IS NOT NULL"""),
            // this service's own sums of supplier-sync-service's events (SupplierSyncFeed), not its schema
            new Query("maintenance", "supplier_sync_hour", List.of("supplier_sync_records", "supplier_sync_failed_records",
                    "supplier_sync_success_rate", "supplier_sync_failed_pulls", "supplier_sync_lag_seconds_avg",
                    "supplier_sync_lag_seconds_max"), """
                    SELECT m.metric, jsonb_build_object('supplier_code', h.supplier_code, 'category_code', h.category_code), m.value
                      FROM (SELECT supplier_code, max(category_code) AS category_code, sum(received) AS received,
                                   sum(applied) AS applied, sum(failed) AS failed, sum(failed_pulls) AS failed_pulls,
                                   sum(lag_sum) / nullif(sum(lag_pages), 0) AS lag_avg,
                                   CASE WHEN sum(lag_pages) > 0 THEN max(lag_max) END AS lag_max
                              FROM %s WHERE hour >= ? AND hour < ? GROUP BY supplier_code) h
                     CROSS JOIN LATERAL (VALUES ('supplier_sync_records', h.received::float8),
                                                ('supplier_sync_failed_records', h.failed::float8),
                                                ('supplier_sync_success_rate',
                                                 CASE WHEN h.applied + h.failed = 0 THEN NULL ELSE h.applied::float8 / (h.applied + h.failed) END),
                                                ('supplier_sync_failed_pulls', h.failed_pulls::float8),
                                                ('supplier_sync_lag_seconds_avg', h.lag_avg),
                                                ('supplier_sync_lag_seconds_max', h.lag_max)) AS m(metric, value)
                     WHERE m.value IS NOT NULL"""));

    @Inject
    AgroalDataSource ds;
    @Inject
    Clock clock;
    @ConfigProperty(name = "marketops.statistics.listing-schema", defaultValue = "listing")
    String listingSchema;
    @ConfigProperty(name = "marketops.statistics.audit-schema", defaultValue = "audit")
    String auditSchema;
    @ConfigProperty(name = "marketops.statistics.batch-schema", defaultValue = "batch")
    String batchSchema;
    @ConfigProperty(name = "marketops.schema")
    String ownSchema;

    /** Recomputes the current and previous hour and day; returns e.g. "42 figures". */
    public String compute() {
        Instant now = clock.instant();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        int figures = 0;
        List<String> missing = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (Query q : QUERIES) {
                String table = schema(q.schemaKey()) + "." + q.table();
                if (!exists(c, table)) {
                    missing.add(table);
                    continue;
                }
                figures += upsert(c, q, table, "hour", hour.minus(1, ChronoUnit.HOURS), hour);
                figures += upsert(c, q, table, "hour", hour, hour.plus(1, ChronoUnit.HOURS));
                figures += upsert(c, q, table, "day", day.minus(1, ChronoUnit.DAYS), day);
                figures += upsert(c, q, table, "day", day, day.plus(1, ChronoUnit.DAYS));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not compute statistics", e);
        }
        return figures + " figures" + (missing.isEmpty() ? "" : " (no " + String.join(", ", missing) + ")");
    }

    /** A bucket's figures replace the ones computed before (a figure that went to zero disappears). */
    private static int upsert(Connection c, Query q, String table, String granularity, Instant from, Instant to) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM statistic WHERE granularity = ? AND bucket = ? AND metric = ANY (?)");
             PreparedStatement ins = c.prepareStatement("INSERT INTO statistic (granularity, bucket, metric, dimensions, value) "
                     + "SELECT ?, ?, x.* FROM (" + q.sql().formatted(table) + ") x")) {
            del.setString(1, granularity);
            del.setTimestamp(2, Timestamp.from(from));
            del.setArray(3, c.createArrayOf("text", q.metrics().toArray()));
            del.executeUpdate();
            ins.setString(1, granularity);
            ins.setTimestamp(2, Timestamp.from(from));
            ins.setTimestamp(3, Timestamp.from(from));
            ins.setTimestamp(4, Timestamp.from(to));
            return ins.executeUpdate();
        }
    }

    private String schema(String key) {
        return switch (key) {
            case "listing" -> listingSchema;
            case "audit" -> auditSchema;
            case "maintenance" -> ownSchema;
            default -> batchSchema;
        };
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
