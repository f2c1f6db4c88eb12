package dev.marketops.publish.saga;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Read side of the publish sagas; the saga runner itself comes with the PublishWorker issue. */
@ApplicationScoped
public class PublishSagaService {

    public record SagaWithSteps(PublishSaga saga, List<PublishSagaStep> steps) {
    }

    public Optional<PublishSaga> findByTask(long taskId) {
        return PublishSaga.ofTask(taskId);
    }

    public SagaWithSteps getByTask(long taskId) {
        PublishSaga saga = findByTask(taskId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_SAGA", "no publish saga for task " + taskId).with("taskId", taskId));
        return new SagaWithSteps(saga, PublishSagaStep.ofSaga(saga.sagaId));
    }

    /** Most recently changed first, so operators see stuck or failing sagas at the top. */
    public Page<PublishSaga> list(SagaStatus status, int page, int size) {
        Page.check(page, size);
        var query = status == null
                ? PublishSaga.<PublishSaga>find("order by updatedAt desc, sagaId desc")
                : PublishSaga.<PublishSaga>find("status = ?1 order by updatedAt desc, sagaId desc", status.wire());
        return new Page<>(query.page(page, size).list(), page, size, query.count());
    }
}
