package dev.marketops.batch.batch;

import dev.marketops.platform.rest.Page;
import dev.marketops.batch.WireEnums;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Read side of the batches: history and progress. Upload and the workers come with later issues. */
@ApplicationScoped
public class OperationBatchService {

    /** {@code merchant}: only batches created by a merchant user of this shop (a merchant's own history). */
    public record Filter(OperationType operationType, BatchStatus status, Long createdBy,
                         java.time.OffsetDateTime createdFrom, java.time.OffsetDateTime createdTo, Long merchant) {
        public Filter(OperationType operationType, BatchStatus status, Long createdBy) {
            this(operationType, status, createdBy, null, null, null);
        }
    }

    public Optional<OperationBatch> find(long batchId) {
        return OperationBatch.findByIdOptional(batchId);
    }

    /**
     * The batch if the caller may see it: its creator (a merchant user only within its own shop),
     * or a caller with BATCH_ALL; anyone else gets the same 404 as for a missing one, so batch ids
     * of other users or shops cannot be probed.
     */
    public OperationBatch visible(long batchId, Actor caller, boolean all) {
        OperationBatch b = get(batchId);
        if (all) {
            return b;
        }
        boolean own = b.createdBy == caller.userId()
                && (!caller.isMerchant() || java.util.Objects.equals(b.createdByMerchant, caller.merchantId()));
        if (!own) {
            throw ApiProblem.notFound("UNKNOWN_BATCH", "no batch with id " + batchId).with("batchId", batchId);
        }
        return b;
    }

    public OperationBatch get(long batchId) {
        return find(batchId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_BATCH", "no batch with id " + batchId).with("batchId", batchId));
    }

    /** Newest first: an operator looks for the batch they just uploaded. */
    public Page<OperationBatch> list(Filter filter, int page, int size) {
        Page.check(page, size);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.operationType() != null) {
            where.append(" and operationType = :operationType");
            params.put("operationType", WireEnums.wire(filter.operationType()));
        }
        if (filter.status() != null) {
            where.append(" and status = :status");
            params.put("status", WireEnums.wire(filter.status()));
        }
        if (filter.createdBy() != null) {
            where.append(" and createdBy = :createdBy");
            params.put("createdBy", filter.createdBy());
        }
        if (filter.merchant() != null) {
            where.append(" and createdByMerchant = :merchant");
            params.put("merchant", filter.merchant());
        }
        if (filter.createdFrom() != null) {
            where.append(" and createdAt >= :from");
            params.put("from", filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            where.append(" and createdAt < :to");
            params.put("to", filter.createdTo());
        }
        var query = OperationBatch.<OperationBatch>find(where + " order by createdAt desc, batchId desc", params);
        return new Page<>(query.page(page, size).list(), page, size, query.count());
    }
}
