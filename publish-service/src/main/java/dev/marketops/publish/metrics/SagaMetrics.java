package dev.marketops.publish.metrics;

import dev.marketops.platform.metrics.CategoryLabels;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import dev.marketops.publish.runner.SagaStep;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code saga_execution_total{category, status}} (main seed 8.2): sagas started, succeeded
 * ({@code success}), failed and compensated ({@code failed}), and failed while compensating
 * ({@code compensation_failed}: a person must repair the data, alert of 8.3). A saga knows its task,
 * not its category, so the categories are looked up in listing-service (one call per group of sagas)
 * off the runner's thread; while listing-service cannot answer they are counted as {@code unknown}.
 * A category's series appear with its first saga; {@code saga_step_duration_seconds{step_name, action}} and
 * {@code saga_compensation_total{step_name}} (counted by the runner) are registered at startup.
 */
@ApplicationScoped
public class SagaMetrics {

    private static final Logger LOG = Logger.getLogger(SagaMetrics.class);
    private static final int MAX_TASKS_PER_CALL = 2000;

    @Inject
    MeterRegistry meters;
    @Inject
    CategoryLabels categories;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub listing;

    private final ExecutorService lookups = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("saga-metrics").daemon().factory());

    /** The step series exist from startup (at 0), so a scrape finds them before the first compensation. */
    void register(@Observes StartupEvent ignored) {
        for (SagaStep step : SagaStep.values()) {
            meters.timer("saga_step_duration_seconds", "step_name", step.wire, "action", "execute");
            if (step.no <= SagaStep.LAST_COMPENSABLE.no) {
                meters.timer("saga_step_duration_seconds", "step_name", step.wire, "action", "compensate");
                meters.counter("saga_compensation_total", "step_name", step.wire);
            }
        }
    }

    public void executions(Collection<Long> taskIds, String status) {
        if (taskIds.isEmpty()) {
            return;
        }
        List<Long> tasks = List.copyOf(taskIds);
        lookups.execute(() -> count(tasks, status));
    }

    private void count(List<Long> tasks, String status) {
        Map<String, Integer> perCategory = new HashMap<>();
        for (int from = 0; from < tasks.size(); from += MAX_TASKS_PER_CALL) {
            List<Long> part = tasks.subList(from, Math.min(tasks.size(), from + MAX_TASKS_PER_CALL));
            int found = 0;
            try {
                for (ListingTaskReply t : listing.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getTasks(GetTasksRequest.newBuilder().addAllTaskIds(part).build()).getTasksList()) {
                    perCategory.merge(categories.of(t.getCategoryId()), 1, Integer::sum);
                    found++;
                }
            } catch (RuntimeException e) {
                LOG.debugf("categories of %d sagas not found: %s", part.size(), e.getMessage());
            }
            if (found < part.size()) {
                perCategory.merge("unknown", part.size() - found, Integer::sum);
            }
        }
        perCategory.forEach((category, n) -> Counter.builder("saga_execution_total").description("publish sagas by outcome")
                .tag("category", category).tag("status", status).register(meters).increment(n));
    }

    void stop(@Observes ShutdownEvent ignored) {
        lookups.shutdown();
    }
}
