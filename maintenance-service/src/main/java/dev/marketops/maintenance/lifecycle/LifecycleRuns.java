package dev.marketops.maintenance.lifecycle;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** lifecycle_run: what one job did to one table (partitions, rows, time), one row per table and run. */
@ApplicationScoped
public class LifecycleRuns {

    /** The outcome of one job on one table. */
    public record Step(String schema, String table, List<String> partitions, long rows, String outcome, String detail,
                       long durationMs) {

        String summary() {
            return schema + "." + table + ": " + outcome + (partitions.isEmpty() ? "" : " " + partitions)
                    + (rows == 0 ? "" : ", " + rows + " rows") + (detail == null ? "" : " (" + detail + ")");
        }
    }

    @Inject
    AgroalDataSource ds;

    /** All steps of a run in one statement; returns the run's summary for job_run. */
    public String record(String job, Instant ranAt, List<Step> steps) {
        if (steps.isEmpty()) {
            return "no managed tables";
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO lifecycle_run (job, table_schema, table_name, partitions, row_count, duration_ms, outcome, detail, ran_at)
                SELECT ?, s, t, CASE WHEN p = '' THEN '{}'::text[] ELSE string_to_array(p, ',') END, r, d, o, nullif(x, ''), ?
                  FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS u(s, t, p, r, d, o, x)""")) {
            int n = steps.size();
            String[] s = new String[n];
            String[] t = new String[n];
            String[] p = new String[n];
            Long[] r = new Long[n];
            Long[] d = new Long[n];
            String[] o = new String[n];
            String[] x = new String[n];
            for (int i = 0; i < n; i++) {
                Step st = steps.get(i);
                s[i] = st.schema();
                t[i] = st.table();
                p[i] = String.join(",", st.partitions());
                r[i] = st.rows();
                d[i] = st.durationMs();
                o[i] = st.outcome();
                x[i] = st.detail() == null ? "" : st.detail();
            }
            ps.setString(1, job);
            ps.setTimestamp(2, Timestamp.from(ranAt));
            ps.setArray(3, c.createArrayOf("text", s));
            ps.setArray(4, c.createArrayOf("text", t));
            ps.setArray(5, c.createArrayOf("text", p));
            ps.setArray(6, c.createArrayOf("bigint", r));
            ps.setArray(7, c.createArrayOf("bigint", d));
            ps.setArray(8, c.createArrayOf("text", o));
            ps.setArray(9, c.createArrayOf("text", x));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the lifecycle run of " + job, e);
        }
        return String.join("; ", steps.stream().map(Step::summary).toList());
    }
}
