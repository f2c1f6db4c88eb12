package dev.marketops.search.reconcile;

import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.search.catalog.CatalogClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Daily comparison of the projections with the catalogue (seed 9.3.3), once across the
 * cluster (advisory lock), and on demand. Streams the catalogue in pages, so memory does not
 * grow with its size; each page's report is saved, so a run's progress is visible while it runs.
 */
@ApplicationScoped
public class DataReconciliationWorker {

    private static final Logger LOG = Logger.getLogger(DataReconciliationWorker.class);
    static final String JOB = "data-reconciliation";

    @Inject
    ClusterSingleton singleton;
    @Inject
    CatalogClient catalog;
    @Inject
    Reconciler reconciler;
    @Inject
    ReconciliationRuns runs;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "marketops.search.reconcile.page-size", defaultValue = "500")
    int pageSize;
    /** Worker switch (deploy/helm): the scheduled run is skipped in replicas where it is off. */
    @ConfigProperty(name = "marketops.workers.data-reconciliation-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    private final ExecutorService onDemand = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .name("reconciliation").daemon().unstarted(r));
    private final AtomicBoolean busy = new AtomicBoolean();

    @Scheduled(cron = "${marketops.search.reconcile.cron}", identity = JOB, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        if (!workerEnabled) {
            return;
        }
        if (busy.compareAndSet(false, true)) {
            try {
                execute(runs.start("cron", ReconciliationScope.ALL, Actor.SYSTEM), ReconciliationScope.ALL);
            } finally {
                busy.set(false);
            }
        }
    }

    /**
     * Starts a run in the background and answers its id; one run at a time in this process. The
     * run's catalogue calls carry {@code by}, the user who asked (it runs after the request ends).
     */
    public long startOnDemand(ReconciliationScope scope, Actor by) {
        if (!busy.compareAndSet(false, true)) {
            throw ApiProblem.conflict("RECONCILIATION_RUNNING", "a reconciliation is already running on this instance");
        }
        try {
            long runId = runs.start("manual", scope, by);
            onDemand.submit(() -> {
                try {
                    ActorPropagation.callAs(by, () -> {
                        execute(runId, scope);
                        return null;
                    });
                } catch (Exception e) {
                    LOG.errorf(e, "reconciliation %d failed", runId);
                } finally {
                    busy.set(false);
                }
            });
            return runId;
        } catch (RuntimeException e) {
            busy.set(false);
            throw e;
        }
    }

    void execute(long runId, ReconciliationScope scope) {
        DriftReport[] last = new DriftReport[1];
        ClusterSingleton.RunResult result = singleton.runIfLeader(JOB, () -> {
            runs.abandonOthers(runId);
            try {
                DriftReport report = reconciler.reconcile(catalog.pages(scope.request(pageSize)), scope, r -> {
                    last[0] = r;
                    runs.progress(runId, r);
                });
                last[0] = report;
                runs.finish(runId, "succeeded", report, null);
                report.counts().forEach((kind, n) -> meters.counter("marketops_search_reconciliation_drift_total", "kind", kind).increment(n));
                return "run " + runId + ": scanned " + report.scanned() + ", repaired " + report.repaired() + ", " + report.counts();
            } catch (RuntimeException e) {
                runs.finish(runId, "failed", last[0], e.toString());
                throw e;
            }
        });
        if (result == ClusterSingleton.RunResult.SKIPPED_ANOTHER_NODE_RUNS) {
            runs.finish(runId, "skipped", null, "another instance is running a reconciliation");
        }
        LOG.infof("reconciliation %d: %s", runId, result);
    }

    @PreDestroy
    void stop() {
        onDemand.shutdownNow();
    }
}
