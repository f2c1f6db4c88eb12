package dev.marketops.batch.worker;

import dev.marketops.platform.security.Actor;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One chunk of a batch handed to an operation. {@link #prepared} records, before the
 * owning service is called, each target's version and before-values, so that after a crash
 * the outcome of an interrupted call can be told from the target's current version.
 * {@code actor} is the batch's creator: the runner makes the chunk's calls as this actor, and
 * commands that name who acts (operator_id / operator_type) name it.
 */
public record Chunk(long batchId, String batchCode, OffsetDateTime createdAt, BatchParams params, long createdBy,
                    boolean dryRun, int totalCount, List<ClaimedItem> items, Preparer prepared, Actor actor) {

    /** The creator's role as commands name it (operator_type). */
    public String operatorType() {
        return actor.type();
    }

    @FunctionalInterface
    public interface Preparer {
        void record(int[] rowNos, long[] versions, String[] befores);
    }
}
