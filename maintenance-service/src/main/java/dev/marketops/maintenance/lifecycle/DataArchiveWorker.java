package dev.marketops.maintenance.lifecycle;

import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Detaches the partitions past their retention into the archive schema. One replica of the cluster runs it (ClusterSingleton); recorded in job_run and lifecycle_run. */
@ApplicationScoped
public class DataArchiveWorker {

    public static final String JOB = "data-archive";

    @Inject
    ClusterSingleton singleton;
    @Inject
    PartitionLifecycle work;
    /** Worker switch (deploy/helm): the timer does nothing in replicas where it is off. */
    @ConfigProperty(name = "marketops.workers.data-archive-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    @Scheduled(identity = JOB, cron = "${marketops.lifecycle.data-archive.cron:0 0 3 1 * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (workerEnabled) {
            run();
        }
    }

    /** One run now (also what the timer does); skipped if another replica is running it. */
    public ClusterSingleton.RunResult run() {
        return singleton.runIfLeader(JOB, work::archive);
    }
}
