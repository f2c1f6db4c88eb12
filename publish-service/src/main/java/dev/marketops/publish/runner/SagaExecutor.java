package dev.marketops.publish.runner;

import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs sagas off the Kafka consumer threads, so a slow saga (retries, backoff) never holds a
 * partition. Hand-off is best effort: the persisted, leased saga is the source of truth, so a
 * group that is refused here (queue full) or lost in a crash is resumed by SagaRecovery when its
 * lease expires.
 */
@ApplicationScoped
public class SagaExecutor {

    private static final Logger LOG = Logger.getLogger(SagaExecutor.class);

    @Inject
    SagaRunner runner;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "marketops.publish.runners", defaultValue = "4")
    int threads;

    private ThreadPoolExecutor pool;

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, "saga-runner-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        meters.gauge("saga_runner_queue", pool, p -> p.getQueue().size());
    }

    public void submit(List<SagaRun> group) {
        submit(group, null);
    }

    /**
     * Runs the group on a runner thread; with an actor (a retry an operator asked for) every gRPC
     * call of the run carries that user, as the platform's rule for work done later on a user's
     * behalf says. A run that recovery takes over later acts as the service itself.
     */
    public void submit(List<SagaRun> group, Actor actor) {
        if (group.isEmpty()) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    if (actor == null) {
                        runner.run(group);
                    } else {
                        ActorPropagation.callAs(actor, () -> {
                            runner.run(group);
                            return null;
                        });
                    }
                } catch (Exception e) {
                    // The sagas keep their lease and state; recovery takes them over when the lease expires.
                    LOG.errorf(e, "saga run of %d saga(s) stopped; recovery resumes them", group.size());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warnf("saga runners are saturated; %d saga(s) wait for recovery", group.size());
        }
    }

    /** Whether recovery may hand over more work now. */
    public boolean hasCapacity() {
        return pool.getQueue().size() < threads;
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
