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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
     * One action for many tasks, each at its expected version when {@code versions} is not empty;
     * answers the tasks it moved. A task that already left PENDING_AUDIT (a redelivered chunk
     * decided before: ILLEGAL_TRANSITION) or was submitted again since (STALE_VERSION) is not
     * moved, and that is not an error here.
     */
    public Set<Long> transitionMany(List<Long> taskIds, List<Long> versions, String action, String auditType, String reason,
                                    long batchId) {
        TransitionManyReply reply = commands.withDeadlineAfter(20, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder()
                .addAllTaskIds(taskIds).addAllExpectedVersions(versions).setAction(action).setAuditType(auditType)
                .setOperatorType("system").setReason(reason).setBatchId(batchId).build());
        Set<Long> moved = new HashSet<>();
        for (TransitionResult r : reply.getResultsList()) {
            if (r.getOk()) {
                moved.add(r.getTaskId());
            } else if (!"ILLEGAL_TRANSITION".equals(r.getErrorCode()) && !"STALE_VERSION".equals(r.getErrorCode())) {
                throw new IllegalStateException("task " + r.getTaskId() + ": " + r.getErrorCode() + " " + r.getErrorMessage());
            }
        }
        return moved;
    }
}
