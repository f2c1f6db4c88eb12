package dev.marketops.publish.runner;

import dev.marketops.platform.ids.SnowflakeIds;
import io.micrometer.core.instrument.MeterRegistry;
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
    MeterRegistry meters;

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
        meters.counter("saga_execution_total", "status", "started").increment(created.size());
        return created;
    }

    public void run(List<SagaRun> created) {
        executor.submit(created);
    }

    public Optional<SagaRun> restart(long taskId) {
        Optional<SagaRun> run = store.restart(taskId, node.newOwner(), lease);
        run.ifPresent(r -> {
            meters.counter("saga_execution_total", "status", "started").increment();
            executor.submit(List.of(r));
        });
        return run;
    }
}
