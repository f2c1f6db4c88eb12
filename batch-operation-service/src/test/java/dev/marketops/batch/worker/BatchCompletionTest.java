package dev.marketops.batch.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.proto.events.OperationBatchCompletedEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A batch that reaches a terminal state announces it once on operation.batch.completed (through the
 * outbox, in the transaction of the state change), with its counts and who started it: the
 * notification worker tells that user. Whichever replica finishes the batch, the event is in this
 * schema's outbox, so the test holds with a fleet running on the same database.
 */
@QuarkusTest
@TestProfile(BatchWorkerSwitchTest.PriceWorkerOff.class)
class BatchCompletionTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    BatchRunner runner;

    @Test
    void aFinishedBatchIsAnnouncedOnceWithItsCreator() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO operation_batch_task (batch_id, batch_code, operation_type, operation_params, category_ids,
                    total_count, success_count, failed_count, skipped_count, status, progress, created_by, created_by_type, created_at, started_at)
                VALUES (?, ?, 'inventory_update', '{}'::jsonb, '{}', 3, 2, 1, 0, 'processing', 0, 4711, 'merchant', now(), now())""")) {
            ps.setLong(1, id);
            ps.setString(2, "DONE_" + id);
            ps.executeUpdate();
        }
        try {
            runner.finishIfDone(id);
            runner.finishIfDone(id); // a second look at a finished batch announces nothing more
            List<OperationBatchCompletedEvent> events = events(id);
            assertEquals(1, events.size());
            OperationBatchCompletedEvent e = events.get(0);
            assertEquals("partial_success", e.getStatus());
            assertEquals(4711, e.getCreatedBy());
            assertEquals("merchant", e.getCreatedByType());
            assertEquals("DONE_" + id, e.getBatchCode());
            assertEquals(3, e.getTotalCount());
            assertEquals(2, e.getSuccessCount());
            assertEquals(1, e.getFailedCount());
        } finally {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM operation_batch_task WHERE batch_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
    }

    private List<OperationBatchCompletedEvent> events(long id) throws SQLException, com.google.protobuf.InvalidProtocolBufferException {
        List<OperationBatchCompletedEvent> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT payload FROM outbox_event WHERE topic = ? AND msg_key = ? ORDER BY id")) {
            ps.setString(1, BatchCompletion.TOPIC);
            ps.setString(2, Long.toString(id));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(OperationBatchCompletedEvent.parseFrom(rs.getBytes(1)));
                }
            }
        }
        return out;
    }
}
