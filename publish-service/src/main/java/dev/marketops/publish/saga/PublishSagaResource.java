package dev.marketops.publish.saga;

import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/** Publish sagas: reading them is SAGA_READ, retrying one SAGA_OPERATE (operators and admins), recorded with the caller. */
@Path("/sagas")
@Produces(MediaType.APPLICATION_JSON)
public class PublishSagaResource {

    /** {@code attempts} counts runs of the saga (1, plus one per retry); {@code completedSteps} the steps in effect. */
    public record SagaView(long sagaId, long taskId, Long itemId, Long batchId, String status, String currentStep,
                           int completedSteps, int attempts, String lastError, String leaseOwner, OffsetDateTime leaseUntil,
                           OffsetDateTime createdAt, OffsetDateTime updatedAt, List<StepView> steps,
                           Long retriedBy, String retriedByType, OffsetDateTime retriedAt) {
        static SagaView of(PublishSaga s, List<StepView> steps) {
            return new SagaView(s.sagaId, s.taskId, s.itemId, s.batchId, s.status, s.currentStep, s.completedSteps,
                    s.attempts, s.lastError, s.leaseOwner, s.leaseUntil, s.createdAt, s.updatedAt, steps,
                    s.retriedBy, s.retriedByType, s.retriedAt);
        }
    }

    public record StepView(int stepNo, String stepName, String status, int attempts, OffsetDateTime startedAt,
                           OffsetDateTime finishedAt, String error) {
        static StepView of(PublishSagaStep s) {
            return new StepView(s.stepNo, s.stepName, s.status, s.attempts, s.startedAt, s.finishedAt, s.error);
        }
    }

    @Inject
    PublishSagaService sagas;
    @Inject
    Caller caller;

    @GET
    @Path("/{taskId}")
    @PermissionsAllowed(Permission.Names.SAGA_READ)
    public SagaView get(@PathParam("taskId") long taskId) {
        PublishSagaService.SagaWithSteps found = sagas.getByTask(taskId);
        return SagaView.of(found.saga(), found.steps().stream().map(StepView::of).toList());
    }

    /** The list leaves the steps out (null); fetch one saga for its steps. */
    @GET
    @PermissionsAllowed(Permission.Names.SAGA_READ)
    public Page<SagaView> list(@QueryParam("status") String status,
                               @QueryParam("taskId") Long taskId,
                               @QueryParam("page") @DefaultValue("0") int page,
                               @QueryParam("size") @DefaultValue("20") int size) {
        SagaStatus wanted = status == null || status.isBlank() ? null : SagaStatus.parse("status", status);
        Page<PublishSaga> found = sagas.list(wanted, taskId, page, size);
        return new Page<>(found.items().stream().map(s -> SagaView.of(s, null)).toList(),
                found.page(), found.size(), found.total());
    }

    /** Starts a compensated (or failed) saga again from its first step; the saga is shown as it restarted. */
    @POST
    @Path("/{taskId}/retry")
    @PermissionsAllowed(Permission.Names.SAGA_OPERATE)
    public SagaView retry(@PathParam("taskId") long taskId) {
        sagas.retry(taskId, caller.actor());
        return get(taskId);
    }
}
