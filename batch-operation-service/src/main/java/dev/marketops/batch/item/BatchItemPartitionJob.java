package dev.marketops.batch.item;

import dev.marketops.platform.cron.ClusterSingleton;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keeps the monthly partitions of operation_batch_item ready ahead of time (this month and
 * the next {@code months-ahead}), once per cluster. Items of a month without a partition
 * could not be written, so it also runs at start-up.
 */
@ApplicationScoped
public class BatchItemPartitionJob {

    @Inject
    ClusterSingleton singleton;
    @Inject
    AgroalDataSource ds;

    void onStart(@Observes StartupEvent e) {
        ensure();
    }

    @Scheduled(cron = "0 17 3 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        ensure();
    }

    void ensure() {
        singleton.runIfLeader("batch-item-partitions", () -> {
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT ensure_operation_batch_item_partitions(2)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) + " partitions created";
            } catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }
}
