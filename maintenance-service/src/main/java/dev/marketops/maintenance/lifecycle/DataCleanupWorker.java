package dev.marketops.maintenance.lifecycle;

import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Purges soft-deleted rows past their retention. One replica of the cluster runs it (ClusterSingleton); recorded in job_run and lifecycle_run. */
@ApplicationScoped
public class DataCleanupWorker {

    public static final String JOB = "data-cleanup";

    @Inject
    ClusterSingleton singleton;
    @Inject
    SoftDeletePurge work;
    /** Worker switch (deploy/helm): the timer does nothing in replicas where it is off. */
    @ConfigProperty(name = "marketops.workers.data-cleanup-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    @Scheduled(identity = JOB, cron = "${marketops.lifecycle.data-cleanup.cron:0 0 2 ? * SUN}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (workerEnabled) {
            run();
        }
    }

    /** One run now (also what the timer does); skipped if another replica is running it. */
    public ClusterSingleton.RunResult run() {
        return singleton.runIfLeader(JOB, work::purge);
    }
}
