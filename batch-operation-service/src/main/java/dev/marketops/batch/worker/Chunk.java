package dev.marketops.batch.worker;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One chunk of a batch handed to an operation. {@link #prepared} records, before the
 * owning service is called, each target's version and before-values, so that after a crash
 * the outcome of an interrupted call can be told from the target's current version.
 */
public record Chunk(long batchId, String batchCode, OffsetDateTime createdAt, BatchParams params, long createdBy,
                    boolean dryRun, int totalCount, List<ClaimedItem> items, Preparer prepared) {

    @FunctionalInterface
    public interface Preparer {
        void record(int[] rowNos, long[] versions, String[] befores);
    }
}
