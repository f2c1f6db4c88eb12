package dev.marketops.batch.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.batch.batch.OperationType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The chart runs each batch worker type in its own Deployment of batch-operation-service with
 * only its switch on: a replica leaves the batches of a switched-off operation type alone (its
 * runner returns before claiming anything, its sweeper does not even select them), while it
 * runs the types that are on.
 */
@QuarkusTest
@TestProfile(BatchWorkerSwitchTest.PriceWorkerOff.class)
class BatchWorkerSwitchTest {

    public static class PriceWorkerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketops.workers.price-update-worker.enabled", "false");
        }
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    BatchRunner runner;

    @Test
    void aReplicaWithPriceUpdateWorkerOffRunsInventoryBatchesButNotPriceBatches() throws SQLException {
        assertFalse(BatchWorkers.runsHere(OperationType.PRICE_ADJUST));
        assertTrue(BatchWorkers.runsHere(OperationType.INVENTORY_UPDATE));
        assertFalse(List.of(BatchWorkers.typesRunHere()).contains("price_adjust"));
        assertTrue(List.of(BatchWorkers.typesRunHere()).contains("inventory_update"));

        // given a processing inventory batch without open items (a runner finishes such a batch at once),
        // when this replica's runner is handed it, then it runs it
        long inventory = insertProcessing("inventory_update");
        runner.run(inventory);
        assertNotEquals("processing", status(inventory), "the enabled worker type ran here");

        // and given the same for a price batch, this replica leaves it to the price worker's replicas
        long price = insertProcessing("price_adjust");
        runner.run(price);
        assertEquals("processing", status(price), "the disabled worker type is not run here");
        assertNull(finishedAt(price));
    }

    private long insertProcessing(String type) throws SQLException {
        long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO operation_batch_task (batch_id, batch_code, operation_type, operation_params, category_ids,
                    total_count, success_count, failed_count, skipped_count, status, progress, created_by, created_at)
                VALUES (?, ?, ?, '{}'::jsonb, '{}', 0, 0, 0, 0, 'processing', 0, 7, now())""")) {
            ps.setLong(1, id);
            ps.setString(2, "SWITCH_" + id);
            ps.setString(3, type);
            ps.executeUpdate();
        }
        return id;
    }

    private String status(long id) throws SQLException {
        return column(id, "status");
    }

    private String finishedAt(long id) throws SQLException {
        return column(id, "finished_at::text");
    }

    private String column(long id, String expr) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM operation_batch_task WHERE batch_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
