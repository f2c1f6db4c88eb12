package dev.marketops.audit.access;

import dev.marketops.audit.worker.ListingClient;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Caller;
import dev.marketops.proto.listing.ListingTaskReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Merchant isolation for what audit-service keeps per listing task (audit log, lifecycle
 * history). Neither listing.lifecycle nor the audit tables carry the task's shop, so the owner
 * is listing-service's answer: a merchant reading a task of another shop, or a task that does
 * not exist, gets the same 404, so it cannot tell the two apart. Staff read every task their
 * permission allows without the extra call.
 */
@RequestScoped
public class TaskVisibility {

    @Inject
    Caller caller;
    @Inject
    ListingClient listing;

    /** Passes when the caller may see the task's records; a 404 problem otherwise. */
    public void requireVisible(long taskId) {
        if (!caller.isMerchant()) {
            return;
        }
        Long shop = caller.merchantShop();
        ListingTaskReply task;
        try {
            task = listing.get(taskId);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED) {
                throw unknown(taskId);
            }
            throw ApiProblem.unavailable("LISTING_UNAVAILABLE", "cannot check who owns task " + taskId + " now; try again");
        }
        if (shop == null || task.getMerchantId() != shop) {
            throw unknown(taskId);
        }
    }

    private static ApiProblem unknown(long taskId) {
        return ApiProblem.notFound("UNKNOWN_TASK", "no listing task with id " + taskId).with("taskId", taskId);
    }
}
