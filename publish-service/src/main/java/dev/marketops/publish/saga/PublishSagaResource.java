package dev.marketops.publish.saga;

import dev.marketops.platform.rest.Page;
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

@Path("/sagas")
@Produces(MediaType.APPLICATION_JSON)
public class PublishSagaResource {

    public record SagaView(long sagaId, long taskId, Long itemId, String status, String currentStep,
                           int completedSteps, int attempts, String lastError, OffsetDateTime createdAt,
                           OffsetDateTime updatedAt, List<StepView> steps) {
        static SagaView of(PublishSaga s, List<StepView> steps) {
            return new SagaView(s.sagaId, s.taskId, s.itemId, s.status, s.currentStep, s.completedSteps,
                    s.attempts, s.lastError, s.createdAt, s.updatedAt, steps);
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

    @GET
    @Path("/{taskId}")
    public SagaView get(@PathParam("taskId") long taskId) {
        PublishSagaService.SagaWithSteps found = sagas.getByTask(taskId);
        return SagaView.of(found.saga(), found.steps().stream().map(StepView::of).toList());
    }

    /** The list leaves the steps out (null); fetch one saga for its steps. */
    @GET
    public Page<SagaView> list(@QueryParam("status") String status,
                               @QueryParam("page") @DefaultValue("0") int page,
                               @QueryParam("size") @DefaultValue("20") int size) {
        SagaStatus wanted = status == null || status.isBlank() ? null : SagaStatus.parse("status", status);
        Page<PublishSaga> found = sagas.list(wanted, page, size);
        return new Page<>(found.items().stream().map(s -> SagaView.of(s, null)).toList(),
                found.page(), found.size(), found.total());
    }
}
