package dev.marketops.supplier.ops;

import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierDirectory;
import dev.marketops.supplier.sync.SyncApplier;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SupplierDataCleanWorker (daily, one replica): goods whose session has started or whose last
 * night has passed are taken offline (one ChangeStatus per supplier and chunk, as the supplier),
 * and failure records with their raw payloads are purged after the retention.
 */
@ApplicationScoped
public class SupplierDataCleanWorker {

    @ConfigProperty(name = "marketops.workers.supplier-data-clean-worker.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "marketops.supplier.clean.failure-retention", defaultValue = "P30D")
    Duration retention;
    @Inject
    ClusterSingleton singleton;
    @Inject
    SupplierDirectory directory;
    @Inject
    SupplierCleaner cleaner;

    @Scheduled(cron = "${marketops.supplier.clean.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        if (!enabled) {
            return;
        }
        singleton.runIfLeader("supplier-data-clean", this::cleanNow);
    }

    /** One run: what it did, as the job run's detail. */
    public String cleanNow() {
        int offline = 0;
        for (Supplier s : directory.all()) {
            offline += cleaner.expire(s);
        }
        int purged = cleaner.purgeFailures(retention);
        return "expired goods taken offline: " + offline + ", failure records purged: " + purged;
    }
}
