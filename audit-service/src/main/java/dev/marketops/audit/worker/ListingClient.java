package dev.marketops.audit.worker;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionRequest;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** listing-service's commands as audit-service uses them: read a task, approve or reject it. */
@ApplicationScoped
public class ListingClient {

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;

    public ListingTaskReply get(long taskId) {
        return listing.withDeadlineAfter(3, TimeUnit.SECONDS).getTask(GetTaskRequest.newBuilder().setTaskId(taskId).build());
    }

    /**
     * Applies an audit decision; true when this call applied it. A redelivered decision finds the
     * task already moved on: in the decided status, or at a later version than the submission it
     * was made for (approved and published since, resubmitted, withdrawn). That is not an error:
     * the decision is idempotent by outcome and a stale one must not be applied or dead-lettered.
     */
    public boolean decide(TransitionRequest request, int expectedStatus) {
        try {
            listing.withDeadlineAfter(3, TimeUnit.SECONDS).transition(request);
            return true;
        } catch (StatusRuntimeException e) {
            String code = e.getTrailers() == null ? null : e.getTrailers().get(GrpcProblems.PROBLEM_CODE);
            if ("ILLEGAL_TRANSITION".equals(code) || "STALE_VERSION".equals(code)) {
                ListingTaskReply now = get(request.getTaskId());
                if (now.getStatus() == expectedStatus || now.getVersion() != request.getExpectedVersion()) {
                    return false;
                }
            }
            throw e;
        }
    }
}
