package dev.marketops.maintenance.statistics;

import dev.marketops.maintenance.deadletter.DeadLetterStore;
import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Periodic statistics, run by one replica of the cluster and recorded in job_run. For now the
 * dead letters still waiting per .dlq topic; the seed's business statistics come with a later issue.
 */
@ApplicationScoped
public class StatisticsWorker {

    public static final String JOB = "dlq-statistics";

    @Inject
    ClusterSingleton singleton;
    @Inject
    DeadLetterStore deadLetters;

    @Scheduled(identity = JOB, every = "${marketops.statistics.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
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
}
