package dev.marketops.publish.saga;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Read side of the publish sagas (the runner is in the runner package) and the operator's retry. */
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
    public Page<PublishSaga> list(SagaStatus status, Long taskId, int page, int size) {
        Page.check(page, size);
        StringBuilder where = new StringBuilder("1 = 1");
        io.quarkus.panache.common.Parameters params = new io.quarkus.panache.common.Parameters();
        if (status != null) {
            where.append(" and status = :status");
            params.and("status", status.wire());
        }
        if (taskId != null) {
            where.append(" and taskId = :taskId");
            params.and("taskId", taskId);
        }
        var query = PublishSaga.<PublishSaga>find(where + " order by updatedAt desc, sagaId desc", params);
        return new Page<>(query.page(page, size).list(), page, size, query.count());
    }

    /**
     * Publishes a task again whose saga gave up (compensated, or failed in compensation): the same
     * saga starts over from its first step, recording who asked (retried_by). 409 when the saga is
     * running or completed.
     */
    public void retry(long taskId, dev.marketops.platform.security.Actor by) {
        PublishSaga saga = findByTask(taskId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_SAGA", "no publish saga for task " + taskId).with("taskId", taskId));
        if (starter.restart(taskId, by).isEmpty()) {
            throw ApiProblem.conflict("SAGA_NOT_RETRYABLE", "only a compensated or failed saga can be retried; this one is "
                    + saga.status).with("taskId", taskId).with("status", saga.status);
        }
        PublishSaga.getEntityManager().clear(); // the restart wrote past Hibernate: read the saga afresh
    }

    @jakarta.inject.Inject
    dev.marketops.publish.runner.SagaStarter starter;
}
