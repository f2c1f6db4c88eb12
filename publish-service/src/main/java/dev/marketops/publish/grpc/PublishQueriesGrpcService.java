package dev.marketops.publish.grpc;

import dev.marketops.proto.services.PublishQueries;
import dev.marketops.proto.services.PublishSaga;
import dev.marketops.proto.services.TaskRef;
import dev.marketops.publish.saga.PublishSagaService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class PublishQueriesGrpcService implements PublishQueries {

    @Inject
    PublishSagaService sagas;

    /** An absent saga is an answer (found=false), not an error: a task may simply not be published yet. */
    @Override
    @Blocking
    public Uni<PublishSaga> getPublishSaga(TaskRef request) {
        PublishSaga.Builder out = PublishSaga.newBuilder().setTaskId(request.getTaskId());
        sagas.findByTask(request.getTaskId()).ifPresent(s -> out.setFound(true).setStatus(s.status)
                .setCompletedSteps(s.completedSteps));
        return Uni.createFrom().item(out.build());
    }
}
