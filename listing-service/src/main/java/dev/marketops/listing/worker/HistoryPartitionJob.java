package dev.marketops.listing.worker;

import dev.marketops.listing.catalogue.history.HistoryConfig;
import dev.marketops.platform.cron.ClusterSingleton;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keeps monthly partitions of product_version_history a few months ahead (the migration made the
 * first ones), once per cluster. Per-replica housekeeping (values.yaml alwaysOn): retention is
 * a partition detach/drop, never a DELETE.
 */
@ApplicationScoped
public class HistoryPartitionJob {

    private final ClusterSingleton singleton;
    private final AgroalDataSource ds;
    private final HistoryConfig config;

    public HistoryPartitionJob(ClusterSingleton singleton, AgroalDataSource ds, HistoryConfig config) {
        this.singleton = singleton;
        this.ds = ds;
        this.config = config;
    }

    @Scheduled(every = "${marketops.history.partition-every:6h}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        singleton.runIfLeader("history-partitions", () -> ensure() + " history partitions created");
    }

    /** Creates the missing partitions from this month on; answers how many were created. */
    public int ensure() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ensure_history_partitions((now() AT TIME ZONE 'UTC')::date, ?)")) {
            ps.setInt(1, Math.max(2, config.monthsAhead() + 1));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating history partitions failed", e);
        }
    }
}
