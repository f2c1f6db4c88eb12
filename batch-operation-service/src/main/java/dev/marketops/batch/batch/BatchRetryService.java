package dev.marketops.batch.batch;

import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.worker.BatchHistory;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;

/**
 * A finished batch run again for its failed rows, as a new attempt of the same batch: the rows
 * keep their request ids (batch:row), so what the owning service already applied is found, not
 * applied twice. Retry takes every failed row (not those rejected in audit, nor rows that failed
 * validation: they need a fixed file); resume takes only the rows an outage failed (its budget
 * was used up). Both are recorded in the batch's history with who asked.
 */
@ApplicationScoped
public class BatchRetryService {

    public enum Kind {
        RETRY_FAILED("retry_failed"),
        RESUME("resume");

        final String action;

        Kind(String action) {
            this.action = action;
        }
    }

    @Inject
    BatchRunner runner;
    @Inject
    BatchItems items;

    /** Returns how many rows are open again; the batch is processing and runs on this replica. */
    public int reopen(long batchId, Kind kind, Actor who) {
        int reopened = runner.tx(c -> {
            String status;
            OffsetDateTime createdAt;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, created_at FROM operation_batch_task WHERE batch_id = ? FOR UPDATE")) {
                ps.setLong(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiProblem.notFound("UNKNOWN_BATCH", "no batch with id " + batchId).with("batchId", batchId);
                    }
                    status = rs.getString(1);
                    createdAt = rs.getObject(2, OffsetDateTime.class);
                }
            }
            switch (status) {
                case "completed", "partial_success", "failed" -> { }
                case "cancelled" -> throw ApiProblem.conflict("BATCH_CANCELLED", "a cancelled batch is not run again")
                        .with("status", status);
                default -> throw ApiProblem.conflict("BATCH_NOT_FINISHED", "the batch is still " + status).with("status", status);
            }
            int n = items.reopenFailed(c, batchId, createdAt, kind == Kind.RESUME);
            if (n == 0) {
                throw ApiProblem.conflict("NOTHING_TO_RETRY", kind == Kind.RESUME
                        ? "no row of this batch was failed by an outage" : "no failed row of this batch can be tried again")
                        .with("status", status);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE operation_batch_task SET status = 'processing', failed_count = greatest(0, failed_count - ?),
                           applied_count = greatest(0, applied_count - ?), finished_at = NULL, waiting_for = NULL,
                           waiting_since = NULL, outage_retries = 0,
                           progress = CASE WHEN total_count = 0 THEN 0 ELSE least(99,
                               (success_count + greatest(0, failed_count - ?) + skipped_count) * 100 / total_count) END,
                           updated_at = now(), version = version + 1
                    WHERE batch_id = ?""")) {
                ps.setInt(1, n);
                ps.setInt(2, n);
                ps.setInt(3, n);
                ps.setLong(4, batchId);
                ps.executeUpdate();
            }
            BatchHistory.add(c, batchId, kind.action, who.userId(), who.type(), n,
                    "was " + status + "; " + n + " failed rows open again");
            return n;
        });
        runner.submit(batchId);
        return reopened;
    }
}
