package dev.marketops.batch.batch;

import dev.marketops.platform.rest.Page;
import dev.marketops.batch.WireEnums;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

@Path("/batches")
@Produces(MediaType.APPLICATION_JSON)
public class OperationBatchResource {

    /** A batch with its progress; the same view serves the history list and the progress page. */
    public record BatchView(long batchId, String batchCode, String operationType, String status, int progress,
                            int totalCount, int successCount, int failedCount, int skippedCount, int processingCount,
                            int pendingCount, String errorPolicy, List<Long> categoryIds,
                            Map<String, Object> operationParams, String fileName, String resultFile,
                            String errorSummary, long createdBy, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt, long version) {
        static BatchView of(OperationBatch b) {
            return new BatchView(b.batchId, b.batchCode, b.operationType, b.status, b.progress, b.totalCount,
                    b.successCount, b.failedCount, b.skippedCount, b.processingCount, b.pendingCount(), b.errorPolicy,
                    b.categoryIds == null ? List.of() : List.of(b.categoryIds), b.operationParams, b.fileName,
                    b.resultFile, b.errorSummary, b.createdBy, b.startedAt, b.finishedAt, b.createdAt, b.updatedAt,
                    b.version);
        }
    }

    @Inject
    OperationBatchService batches;

    @GET
    public Page<BatchView> list(@QueryParam("operationType") String operationType,
                                @QueryParam("status") String status,
                                @QueryParam("createdBy") Long createdBy,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("20") int size) {
        var filter = new OperationBatchService.Filter(
                blank(operationType) ? null : WireEnums.parse(OperationType.class, "operationType", operationType),
                blank(status) ? null : WireEnums.parse(BatchStatus.class, "status", status),
                createdBy);
        Page<OperationBatch> found = batches.list(filter, page, size);
        return new Page<>(found.items().stream().map(BatchView::of).toList(), found.page(), found.size(), found.total());
    }

    @GET
    @Path("/{batchId}")
    public BatchView get(@PathParam("batchId") long batchId) {
        return BatchView.of(batches.get(batchId));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
