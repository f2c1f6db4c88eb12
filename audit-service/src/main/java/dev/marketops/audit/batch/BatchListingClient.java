package dev.marketops.audit.batch;

import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskList;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionResult;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** listing-service as the batch audit uses it: a chunk's tasks in one read, decisions in one call per group. */
@ApplicationScoped
public class BatchListingClient {

    private static final Logger LOG = Logger.getLogger(BatchListingClient.class);

    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub queries;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub commands;

    public List<ListingTaskReply> getTasks(Collection<Long> taskIds) {
        ListingTaskList list = queries.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getTasks(GetTasksRequest.newBuilder().addAllTaskIds(taskIds).build());
        if (list.getMissingTaskIdsCount() > 0) {
            LOG.warnf("%d tasks of the chunk do not exist: %s", list.getMissingTaskIdsCount(), list.getMissingTaskIdsList());
        }
        return list.getTasksList();
    }

    /**
     * One action for many tasks. A task that already left PENDING_AUDIT (a redelivered chunk
     * decided before) fails on its own with ILLEGAL_TRANSITION; that is not an error here.
     */
    public void transitionMany(List<Long> taskIds, String action, String auditType, String reason, long batchId) {
        TransitionManyReply reply = commands.withDeadlineAfter(20, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder()
                .addAllTaskIds(taskIds).setAction(action).setAuditType(auditType).setOperatorType("system")
                .setReason(reason).setBatchId(batchId).build());
        for (TransitionResult r : reply.getResultsList()) {
            if (!r.getOk() && !"ILLEGAL_TRANSITION".equals(r.getErrorCode())) {
                throw new IllegalStateException("task " + r.getTaskId() + ": " + r.getErrorCode() + " " + r.getErrorMessage());
            }
        }
    }
}
