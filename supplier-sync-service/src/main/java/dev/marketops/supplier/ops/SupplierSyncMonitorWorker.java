package dev.marketops.supplier.ops;

import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierDirectory;
import dev.marketops.supplier.sync.SyncApplier;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * SupplierSyncMonitorWorker (every 5 minutes, one replica at a time): per supplier the sync lag
 * and success rate as metrics with the seed's labels (main seed 9.x:
 * {@code listing_supplier_sync_lag_seconds{category, supplier_id, mode}},
 * {@code listing_supplier_sync_success_rate{category, supplier_id}}), plus
 * {@code listing_supplier_sync_stale{supplier_id}} and an alert in the log for an enabled
 * supplier without a successful sync for {@code stale-after}, or failing pulls.
 * Lag: a pushed supplier's newest change to its application; a pulled one's time since its last
 * complete pull. Success rate: applied / (applied + failed) records.
 * It also applies, every few seconds, the updates kept for items whose listing was not online yet.
 */
@ApplicationScoped
public class SupplierSyncMonitorWorker {

    private static final Logger LOG = Logger.getLogger(SupplierSyncMonitorWorker.class);

    @ConfigProperty(name = "marketops.workers.supplier-sync-monitor-worker.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "marketops.supplier.monitor.stale-after", defaultValue = "PT2H")
    Duration staleAfter;
    @Inject
    AgroalDataSource ds;
    @Inject
    MeterRegistry meters;
    @Inject
    ClusterSingleton singleton;
    @Inject
    SupplierDirectory directory;
    @Inject
    SyncApplier applier;

    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    /** One supplier's state as the monitor saw it; alert: it was raised in the log (stale, or 3+ consecutive failures). */
    public record Reading(String supplier, String category, String mode, double lagSeconds, double successRate, boolean stale,
                          boolean alert) {
    }

    @Scheduled(every = "${marketops.supplier.monitor.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void monitor() {
        if (!enabled) {
            return;
        }
        singleton.runIfLeader("supplier-sync-monitor", () -> {
            int stale = 0;
            for (Reading r : read()) {
                stale += r.stale() ? 1 : 0;
            }
            return "stale suppliers: " + stale;
        });
    }

    @Scheduled(every = "${marketops.supplier.pending.tick}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void applyPending() {
        if (!enabled) {
            return;
        }
        for (Supplier s : directory.all()) {
            if (!s.enabled) {
                continue;
            }
            try {
                applier.resolvePending(s);
            } catch (RuntimeException e) {
                LOG.debugf("pending items of %s not resolved yet: %s", s.code, e.getMessage());
            }
        }
    }

    /** Reads every supplier's state, updates the gauges and logs alerts. */
    public java.util.List<Reading> read() {
        java.util.List<Reading> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT s.supplier_code, s.category_code, "
                + "s.sync_mode, s.enabled, st.last_lag_seconds, extract(epoch FROM now() - coalesce(st.last_success_at, s.created_at)), "
                + "coalesce(st.applied_count, 0), coalesce(st.failed_count, 0), coalesce(st.consecutive_failures, 0), st.last_error, "
                + "st.last_success_at IS NULL AND st.last_attempt_at IS NULL "
                + "FROM supplier s LEFT JOIN supplier_sync_state st USING (supplier_code)")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String code = rs.getString(1);
                    String category = rs.getString(2);
                    String mode = rs.getString(3);
                    boolean enabled = rs.getBoolean(4);
                    Double pushLag = (Double) rs.getObject(5);
                    double sinceSuccess = rs.getDouble(6);
                    long applied = rs.getLong(7);
                    long failed = rs.getLong(8);
                    double lag = "push".equals(mode) ? (pushLag == null ? 0 : pushLag) : sinceSuccess;
                    double rate = applied + failed == 0 ? 1.0 : (double) applied / (applied + failed);
                    boolean neverRan = rs.getBoolean(11);
                    boolean stale = enabled && !neverRan && sinceSuccess > staleAfter.toSeconds();
                    gauge("listing_supplier_sync_lag_seconds", code, category, mode, true).set(lag);
                    gauge("listing_supplier_sync_success_rate", code, category, mode, false).set(rate);
                    gauge("listing_supplier_sync_stale", code, category, mode, false).set(stale ? 1.0 : 0.0);
                    boolean alert = stale || enabled && rs.getInt(9) >= 3;
                    if (alert) {
                        LOG.warnf("ALERT supplier %s (%s): %s, %d consecutive failures, last error: %s", code, mode,
                                stale ? "no successful sync for " + (long) sinceSuccess + " s" : "failing", rs.getInt(9), rs.getString(10));
                    }
                    out.add(new Reading(code, category, mode, lag, rate, stale, alert));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private AtomicReference<Double> gauge(String name, String supplier, String category, String mode, boolean withMode) {
        return gauges.computeIfAbsent(name + "|" + supplier + "|" + mode, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(0.0);
            Gauge.Builder<AtomicReference<Double>> b = Gauge.builder(name, holder, AtomicReference::get)
                    .tag("supplier_id", supplier).tag("category", category == null ? "" : category.toLowerCase(java.util.Locale.ROOT));
            if (withMode) {
                b.tag("mode", mode);
            }
            b.register(meters);
            return holder;
        });
    }
}
