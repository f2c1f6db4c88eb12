package dev.marketops.batch.worker;

import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import java.util.List;
import java.util.Map;

/**
 * The template every batch operation fills in: which columns its sheet has, how one row
 * becomes an item (or why it cannot), and how one chunk of items is applied with one
 * set-based call to the service that owns the data. Claiming, leases, retries, counters,
 * progress, cancel, crash recovery and the result files are the framework's
 * ({@link BatchRunner}); an operation never sees them.
 */
public abstract class BatchWorker {

    public abstract OperationType type();

    /** The batch code's prefix, e.g. PRICE for PRICE_20261122_<id>. */
    public abstract String codePrefix();

    public abstract List<Column> columns();

    /** Columns not declared are passed on (listing upload: each is a category attribute). */
    public boolean openColumns() {
        return false;
    }

    /** Refuses bad parameters at upload with a 400 naming the parameter. */
    public void checkParams(BatchParams params) {
    }

    /**
     * Refuses parameters the creator may not choose (403), then bad ones ({@link #checkParams(BatchParams)}).
     * The caller can tighten a server guard, never loosen it without the permission for that.
     */
    public void checkParams(BatchParams params, Actor creator) {
        checkParams(params);
    }

    /** Turns a row's typed cells into an item; throws {@link dev.marketops.batch.intake.RowError}. */
    public abstract ParsedRow parse(RowValues row, BatchParams params);

    /**
     * Items for a batch without a file (a filter such as category ids, or a shop). A merchant
     * creator's filter is confined to its own shop.
     */
    public List<ParsedRow> expand(BatchParams params, Actor creator) {
        throw ApiProblem.missingField("file");
    }

    /**
     * How many goods a filter-defined batch touches (what the caller confirms above
     * {@code marketops.batch.confirm-above}): its rows, unless one row stands for many goods.
     */
    public long selectedCount(BatchParams params, List<ParsedRow> rows) {
        return rows.size();
    }

    /** The service whose calls apply this operation's chunks, as a waiting batch names it. */
    public String owningService() {
        return "listing-service";
    }

    public int chunkSize() {
        return 1000;
    }

    public int maxRows() {
        return 100_000;
    }

    public abstract ChunkResult apply(Chunk chunk);

    /** Whether a finished batch of this kind can be reverted as a new batch. */
    public boolean undoable() {
        return false;
    }

    /** The payload that puts one succeeded item back, refusing if it changed since (has_expected). */
    public Map<String, Object> undoPayload(Map<String, Object> payload, String beforeJson, String afterJson) {
        throw ApiProblem.conflict("NOT_UNDOABLE", type().name().toLowerCase() + " batches cannot be undone");
    }
}
