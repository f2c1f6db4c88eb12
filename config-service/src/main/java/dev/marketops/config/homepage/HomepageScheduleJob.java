package dev.marketops.config.homepage;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes scheduled homepage versions when they are due. Every replica may tick: due rows are
 * claimed with FOR UPDATE SKIP LOCKED, so each goes live once. Part of ConfigPublishWorker: the
 * same switch turns both off.
 */
@ApplicationScoped
public class HomepageScheduleJob {

    private final HomepageService homepage;
    private final boolean enabled;

    public HomepageScheduleJob(HomepageService homepage,
                               @ConfigProperty(name = "marketops.workers.config-publish-worker.enabled", defaultValue = "true")
                               boolean enabled) {
        this.homepage = homepage;
        this.enabled = enabled;
    }

    @Scheduled(every = "${marketops.homepage.schedule-every:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled) {
            return;
        }
        homepage.publishDue(100);
    }
}
