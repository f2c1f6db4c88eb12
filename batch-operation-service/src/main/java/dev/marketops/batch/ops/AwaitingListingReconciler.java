package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.client.CatalogClient;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.proto.listing.ListingTaskReply;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The watchdog of listing-upload rows that wait for their task's outcome event (ONLINE or
 * rejected): one that has waited longer than {@code marketops.batch.awaiting-check-after} is
 * looked up by its task (ListingQueries.GetTasks, 2,000 per call) and finished from the task's
 * state if the event passed it by (e.g. it went ONLINE before the row knew its task). Once per
 * cluster every minute; part of ExcelParseWorker (its switch).
 */
@ApplicationScoped
public class AwaitingListingReconciler {

    private static final int ONLINE = 20;
    private static final int REJECTED = 12;

    @Inject
    AgroalDataSource ds;
    @Inject
    CatalogClient listing;
    @Inject
    BatchRunner runner;
    @Inject
    ClusterSingleton singleton;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "marketops.workers.excel-parse-worker.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "marketops.batch.awaiting-check-after", defaultValue = "PT5M")
    Duration after;

    @Scheduled(every = "${marketops.batch.awaiting-check-every:60s}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled) {
            return;
        }
        singleton.runIfLeader("batch-awaiting-listings", () -> reconcile() + " awaiting rows finished from their task's state");
    }

    /** Returns how many rows were finished. */
    public int reconcile() {
        Map<Long, Long> batchOf = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT i.target_id, i.batch_id FROM operation_batch_item i
                  JOIN operation_batch_task t ON t.batch_id = i.batch_id AND t.created_at = i.created_at
                 WHERE t.status = 'processing' AND t.operation_type = 'listing_upload'
                   AND i.status = 'processing' AND i.lease_until = 'infinity' AND i.target_id IS NOT NULL
                   AND i.updated_at < now() - make_interval(secs => ?)
                 LIMIT 2000""")) {
            ps.setDouble(1, after.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batchOf.put(rs.getLong(1), rs.getLong(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not read awaiting rows", e);
        }
        if (batchOf.isEmpty()) {
            return 0;
        }
        Map<Long, List<ListingOutcomeListener.Outcome>> byBatch = new LinkedHashMap<>();
        for (ListingTaskReply t : listing.getTasks(new ArrayList<>(batchOf.keySet()))) {
            if (t.getStatus() == ONLINE || t.getStatus() == REJECTED) {
                boolean ok = t.getStatus() == ONLINE;
                byBatch.computeIfAbsent(batchOf.get(t.getTaskId()), k -> new ArrayList<>()).add(new ListingOutcomeListener.Outcome(
                        t.getTaskId(), ok, ok ? Json.write(Map.of("task_id", t.getTaskId(), "status", "online")) : null));
            }
        }
        int[] done = {0};
        TreeSet<Long> touched = new TreeSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = ds.getConnection()) {
                for (Map.Entry<Long, List<ListingOutcomeListener.Outcome>> b : byBatch.entrySet()) {
                    int n = ListingOutcomeListener.apply(c, b.getKey(), b.getValue());
                    if (n > 0) {
                        done[0] += n;
                        touched.add(b.getKey());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not finish awaiting rows", e);
            }
        });
        touched.forEach(runner::finishIfDone);
        meters.counter("marketops_batch_awaiting_reconciled_total").increment(done[0]);
        return done[0];
    }
}
