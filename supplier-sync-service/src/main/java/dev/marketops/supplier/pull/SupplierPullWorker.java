package dev.marketops.supplier.pull;

import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierDirectory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SupplierPullWorker: every tick, each pulled supplier whose next pull is due (its interval after
 * the last complete pull, its back-off after a failure, at once after "pull now" or while a pull is
 * part-way) is pulled on a worker thread, once across replicas: the pull holds the supplier's
 * PostgreSQL advisory lock ({@link ClusterSingleton}, recorded in job_run), so another replica
 * skips it.
 */
@ApplicationScoped
public class SupplierPullWorker {

    @ConfigProperty(name = "marketops.workers.supplier-pull-worker.enabled", defaultValue = "true")
    boolean enabled;
    /** Suppliers this Deployment does not pull (a regular expression on the code; empty: none), to split pulls across Deployments. */
    @ConfigProperty(name = "marketops.supplier.pull.exclude", defaultValue = "")
    java.util.Optional<String> exclude;
    @Inject
    SupplierDirectory directory;
    @Inject
    PullRunner runner;
    @Inject
    ClusterSingleton singleton;
    @Inject
    AgroalDataSource ds;

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "supplier-pull");
        t.setDaemon(true);
        return t;
    });

    @Scheduled(every = "${marketops.supplier.pull.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void tick() {
        if (!enabled) {
            return;
        }
        for (String code : due()) {
            if (exclude.isPresent() && !exclude.get().isBlank() && code.matches(exclude.get())) {
                continue;
            }
            if (!running.add(code)) {
                continue;
            }
            pool.submit(() -> {
                try {
                    Supplier s = directory.find(code).orElse(null);
                    if (s != null && s.enabled && s.pulls()) {
                        singleton.runIfLeader("supplier-pull:" + code, () -> {
                            PullRunner.Outcome o = runner.pull(s);
                            return o.toString();
                        });
                    }
                } finally {
                    running.remove(code);
                }
            });
        }
    }

    private List<String> due() {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT s.supplier_code FROM supplier s "
                + "JOIN supplier_sync_state st USING (supplier_code) WHERE s.enabled AND s.sync_mode IN ('pull', 'both') "
                + "AND (st.next_pull_at IS NULL OR st.next_pull_at <= now()) ORDER BY st.next_pull_at NULLS FIRST")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    void stop(@Observes ShutdownEvent e) {
        pool.shutdownNow();
    }
}
