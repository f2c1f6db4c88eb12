package dev.marketops.batch.worker;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Resumes batches nobody is running here: after a crash or restart (their items' leases run
 * out, then they are claimed again), after a missed event, or after a cancel request. Every
 * replica sweeps; claims with SKIP LOCKED keep them from doing an item twice.
 */
@ApplicationScoped
public class BatchSweeper {

    @Inject
    AgroalDataSource ds;
    @Inject
    BatchRunner runner;

    @Scheduled(every = "${marketops.batch.sweep-every:3s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() throws SQLException {
        String[] types = BatchWorkers.typesRunHere(); // worker switches (deploy/helm)
        if (types.length == 0) {
            return;
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT batch_id FROM operation_batch_task WHERE status = 'processing' AND operation_type = ANY(?)"
                        + " ORDER BY created_at LIMIT 100")) {
            ps.setArray(1, c.createArrayOf("varchar", types));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (!runner.runsHere(id)) {
                        runner.submit(id);
                    }
                }
            }
        }
    }
}
