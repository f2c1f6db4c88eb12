package dev.marketops.maintenance.statistics;

import dev.marketops.maintenance.deadletter.DeadLetterStore;
import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Periodic statistics, run by one replica of the cluster and recorded in job_run: the dead letters
 * still waiting per .dlq topic, and the business figures per hour and day (BusinessStatistics,
 * read by the dashboard through /statistics).
 */
@ApplicationScoped
public class StatisticsWorker {

    public static final String JOB = "dlq-statistics";
    public static final String FIGURES_JOB = "business-statistics";

    @Inject
    ClusterSingleton singleton;
    @Inject
    DeadLetterStore deadLetters;
    @Inject
    BusinessStatistics business;
    /** Worker switch (deploy/helm): the timer does nothing in replicas where it is off. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "marketops.workers.statistics-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    @Scheduled(identity = JOB, every = "${marketops.statistics.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!workerEnabled) {
            return;
        }
        run();
    }

    /** One run now (also what the timer does); skipped if another replica is running it. */
    public ClusterSingleton.RunResult run() {
        return singleton.runIfLeader(JOB, this::summarise);
    }

    /** e.g. "listing.audit.pending.dlq=3, price.changed.dlq=1" */
    String summarise() {
        Map<String, Long> waiting = deadLetters.countNewByTopic();
        if (waiting.isEmpty()) {
            return "no new dead letters";
        }
        return waiting.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The business figures, hourly (the chart's schedule): their scans are too heavy for every minute. */
    @Scheduled(identity = FIGURES_JOB, cron = "${marketops.statistics.figures-cron:0 5 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void figuresTick() {
        if (workerEnabled) {
            runFigures();
        }
    }

    public ClusterSingleton.RunResult runFigures() {
        return singleton.runIfLeader(FIGURES_JOB, business::compute);
    }
}
