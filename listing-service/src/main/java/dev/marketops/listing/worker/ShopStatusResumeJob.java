package dev.marketops.listing.worker;

import dev.marketops.listing.catalogue.ShopStatusService;
import dev.marketops.platform.cron.ClusterSingleton;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Safety net for shop-level requests: one whose progress has not moved for a while (its
 * worker died and the event was already committed, or the event went to the DLQ) is
 * continued from its stored cursor, once per cluster.
 */
@ApplicationScoped
public class ShopStatusResumeJob {

    @Inject
    ClusterSingleton singleton;
    @Inject
    ShopStatusService shops;
    /** Worker switch (deploy/helm): part of GoodsStatusWorker. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "marketops.workers.goods-status-worker.enabled", defaultValue = "true")
    boolean workerEnabled;

    @Scheduled(every = "${marketops.shop-status.resume-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resume() {
        if (!workerEnabled) {
            return;
        }
        singleton.runIfLeader("shop-status-resume", () -> {
            List<String> stalled = shops.stalled(java.time.Duration.ofMinutes(2), 20);
            stalled.forEach(shops::expand);
            return stalled.size() + " shop requests resumed";
        });
    }
}
