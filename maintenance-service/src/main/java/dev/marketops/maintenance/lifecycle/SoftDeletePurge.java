package dev.marketops.maintenance.lifecycle;

import static dev.marketops.maintenance.lifecycle.PartitionLifecycle.ident;

import dev.marketops.maintenance.lifecycle.LifecycleRuns.Step;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * DataCleanupWorker's work: rows of the tables in soft_delete_table whose deleted column is older
 * than the table's retention are deleted for good, a chunk per statement (each its own short
 * transaction, so a large purge never holds locks on a busy table for long).
 */
@ApplicationScoped
public class SoftDeletePurge {

    private static final Logger LOG = Logger.getLogger(SoftDeletePurge.class);

    record SoftDeleted(String schema, String table, String column, int retentionDays) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Clock clock;
    @Inject
    LifecycleRuns runs;
    @ConfigProperty(name = "marketops.lifecycle.purge-chunk", defaultValue = "5000")
    int chunk;

    public String purge() {
        Instant now = clock.instant();
        List<Step> steps = new ArrayList<>();
        for (SoftDeleted t : tables()) {
            long t0 = System.nanoTime();
            String qualified = ident(t.schema()) + "." + ident(t.table());
            String col = ident(t.column());
            Timestamp before = Timestamp.from(now.minus(Duration.ofDays(t.retentionDays())));
            long rows = 0;
            String outcome = "succeeded";
            String detail = null;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + qualified + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + qualified
                            + " WHERE " + col + " < ? LIMIT ?))")) {
                if (!hasColumn(c, t)) {
                    outcome = "skipped";
                    detail = "no column " + t.column() + " (yet)";
                } else {
                    int n;
                    do {
                        ps.setTimestamp(1, before);
                        ps.setInt(2, chunk);
                        n = ps.executeUpdate();
                        rows += n;
                    } while (n == chunk);
                }
            } catch (SQLException e) {
                LOG.errorf(e, "purge of %s failed", qualified);
                outcome = "failed";
                detail = e.getMessage();
            }
            steps.add(new Step(t.schema(), t.table(), List.of(), rows, outcome, detail, (System.nanoTime() - t0) / 1_000_000));
        }
        return runs.record("data-cleanup", now, steps);
    }

    private static boolean hasColumn(Connection c, SoftDeleted t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?)")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            ps.setString(3, t.column());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<SoftDeleted> tables() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT table_schema, table_name, deleted_column, retention_days FROM soft_delete_table WHERE enabled ORDER BY 1, 2");
             ResultSet rs = ps.executeQuery()) {
            List<SoftDeleted> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new SoftDeleted(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read soft_delete_table", e);
        }
    }
}
