package dev.marketops.batch.grpc;

import dev.marketops.proto.services.BatchProgress;
import dev.marketops.proto.services.BatchQueries;
import dev.marketops.proto.services.BatchRef;
import dev.marketops.batch.batch.OperationBatchService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class BatchQueriesGrpcService implements BatchQueries {

    @Inject
    OperationBatchService batches;

    /** An unknown batch answers found=false, so callers need no error handling for a plain lookup. */
    @Override
    @Blocking
    public Uni<BatchProgress> getBatch(BatchRef request) {
        BatchProgress.Builder out = BatchProgress.newBuilder().setBatchId(request.getBatchId());
        batches.find(request.getBatchId()).ifPresent(b -> out.setFound(true).setBatchCode(b.batchCode)
                .setOperationType(b.operationType).setStatus(b.status).setTotalCount(b.totalCount)
                .setSuccessCount(b.successCount).setFailedCount(b.failedCount).setProgress(b.progress));
        return Uni.createFrom().item(out.build());
    }
}
