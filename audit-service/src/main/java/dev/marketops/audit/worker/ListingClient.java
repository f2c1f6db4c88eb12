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

    /** What became of a decision sent to listing-service. */
    public enum Outcome {
        /** this call moved the task */
        APPLIED,
        /** the task is already in the decided status (a redelivery of a decision that was applied) */
        ALREADY_DECIDED,
        /** the task moved on since the submission the decision was made for (published, resubmitted, withdrawn) */
        SUPERSEDED
    }

    /**
     * Applies an audit decision. A redelivered decision finds the task already moved on; that is
     * not an error (the decision is idempotent by outcome) and a stale one is neither applied nor
     * dead-lettered: the caller is told which of the two it was, from the one read made here.
     */
    public Outcome decide(TransitionRequest request, int expectedStatus) {
        try {
            listing.withDeadlineAfter(3, TimeUnit.SECONDS).transition(request);
            return Outcome.APPLIED;
        } catch (StatusRuntimeException e) {
            String code = e.getTrailers() == null ? null : e.getTrailers().get(GrpcProblems.PROBLEM_CODE);
            if ("ILLEGAL_TRANSITION".equals(code) || "STALE_VERSION".equals(code)) {
                ListingTaskReply now = get(request.getTaskId());
                if (now.getStatus() == expectedStatus) {
                    return Outcome.ALREADY_DECIDED;
                }
                if (now.getVersion() != request.getExpectedVersion()) {
                    return Outcome.SUPERSEDED;
                }
            }
            throw e;
        }
    }
}
