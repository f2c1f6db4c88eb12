package dev.marketops.maintenance.lifecycle;

import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the coming months' partitions of every managed table (seed 9.7: monthly, ahead of time). One replica of the cluster runs it (ClusterSingleton); recorded in job_run and lifecycle_run. */
@ApplicationScoped
public class TableShardingWorker {

    public static final String JOB = "table-sharding";

    @Inject
    ClusterSingleton singleton;
    @Inject
    PartitionLifecycle work;
    /** Worker switch (deploy/helm): the timer does nothing in replicas where it is off. */
    @ConfigProperty(name = "marketops.workers.table-sharding-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    @Scheduled(identity = JOB, cron = "${marketops.lifecycle.table-sharding.cron:0 0 1 1 * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (workerEnabled) {
            run();
        }
    }

    /** One run now (also what the timer does); skipped if another replica is running it. */
    public ClusterSingleton.RunResult run() {
        return singleton.runIfLeader(JOB, work::createAhead);
    }
}
