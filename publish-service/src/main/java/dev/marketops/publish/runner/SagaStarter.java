package dev.marketops.publish.runner;

import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates sagas for approved tasks (leased to this node) and restarts compensated ones. */
@ApplicationScoped
public class SagaStarter {

    @Inject
    SagaStore store;
    @Inject
    SnowflakeIds ids;
    @Inject
    RunnerNode node;
    @Inject
    SagaExecutor executor;
    @Inject
    dev.marketops.publish.metrics.SagaMetrics sagaMetrics;

    @ConfigProperty(name = "marketops.publish.lease", defaultValue = "20s")
    Duration lease;

    /**
     * One saga per task not yet seen; call inside the consumer's transaction and hand the result to
     * {@link #run} after it commits.
     */
    public List<SagaRun> create(List<Long> taskIds, Long batchId) {
        long[] tasks = taskIds.stream().mapToLong(Long::longValue).distinct().toArray();
        long[] sagaIds = new long[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            sagaIds[i] = ids.nextId();
        }
        List<SagaRun> created = store.create(sagaIds, tasks, batchId, node.newOwner(), lease);
        sagaMetrics.executions(created.stream().map(r -> r.taskId).toList(), "started");
        return created;
    }

    public void run(List<SagaRun> created) {
        executor.submit(created);
    }

    public Optional<SagaRun> restart(long taskId, Actor by) {
        Optional<SagaRun> run = store.restart(taskId, node.newOwner(), lease, by);
        run.ifPresent(r -> {
            sagaMetrics.executions(List.of(r.taskId), "started");
            executor.submit(List.of(r), by);
        });
        return run;
    }
}
