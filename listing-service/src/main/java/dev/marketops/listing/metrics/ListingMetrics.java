package dev.marketops.listing.metrics;

import dev.marketops.listing.task.ListingStatus;
import dev.marketops.platform.metrics.CategoryLabels;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The listing metrics of main seed 8.2, counted where the state changes:
 * <ul>
 * <li>{@code listing_task_total{category, type=single|batch|supplier, status=success|fail}}: a task
 * that went online (success), or was rejected or failed to publish (fail);</li>
 * <li>{@code listing_task_duration_seconds{category, stage=audit|publish}}: time spent waiting for
 * the audit decision (PENDING_AUDIT to APPROVED/REJECTED) and for publishing (APPROVED to ONLINE);</li>
 * <li>{@code listing_worker_queue_size{worker=audit|publish}}: tasks waiting for an audit decision,
 * and approved tasks waiting to be published (a failed publish is not waiting), read every 15 s
 * from the status index. The parse queue is batch-operation-service's (it parses the uploads).</li>
 * </ul>
 * The counters and timers of a category appear with its first event; the queue gauges exist from
 * startup.
 */
@ApplicationScoped
public class ListingMetrics {

    private static final Logger LOG = Logger.getLogger(ListingMetrics.class);
    private static final int PENDING_AUDIT = ListingStatus.PENDING_AUDIT.code;
    private static final int APPROVED = ListingStatus.APPROVED.code;
    private static final int REJECTED = ListingStatus.REJECTED.code;
    private static final int ONLINE = ListingStatus.ONLINE.code;

    @Inject
    MeterRegistry meters;
    @Inject
    CategoryLabels categories;
    @Inject
    AgroalDataSource ds;

    private final AtomicLong auditQueue = new AtomicLong();
    private final AtomicLong publishQueue = new AtomicLong();

    void register(@Observes StartupEvent ignored) {
        Gauge.builder("listing_worker_queue_size", auditQueue, AtomicLong::get).description("tasks waiting for a worker")
                .tag("worker", "audit").register(meters);
        Gauge.builder("listing_worker_queue_size", publishQueue, AtomicLong::get).description("tasks waiting for a worker")
                .tag("worker", "publish").register(meters);
    }

    /** Origin of a task as the seed's {@code type} label. */
    public static String type(Long batchId, String sourceType) {
        if (batchId != null && batchId != 0) {
            return "batch";
        }
        return sourceType != null && sourceType.startsWith("supplier") ? "supplier" : "single";
    }

    /** A task that moved from {@code from} to {@code to}, {@code waited} after its previous change. */
    public void moved(long categoryId, Long batchId, String sourceType, int from, int to, Duration waited) {
        String stage = from == PENDING_AUDIT && (to == APPROVED || to == REJECTED) ? "audit" : from == APPROVED && to == ONLINE ? "publish" : null;
        if (stage == null) {
            return;
        }
        String category = categories.of(categoryId);
        if (waited != null && !waited.isNegative()) {
            Timer.builder("listing_task_duration_seconds").description("time a listing task spent in a stage")
                    .tag("category", category).tag("stage", stage).register(meters).record(waited);
        }
        if (to == ONLINE || to == REJECTED) {
            finished(category, type(batchId, sourceType), to == ONLINE);
        }
    }

    /** The publish saga gave up on an approved task. */
    public void publishFailed(long categoryId, Long batchId, String sourceType) {
        finished(categories.of(categoryId), type(batchId, sourceType), false);
    }

    private void finished(String category, String type, boolean success) {
        Counter.builder("listing_task_total").description("listing tasks finished (online, or rejected / failed to publish)")
                .tag("category", category).tag("type", type).tag("status", success ? "success" : "fail")
                .register(meters).increment();
    }

    @Scheduled(every = "15s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void readQueues() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE status = 10), count(*) FILTER (WHERE status = 11 AND sub_status IS DISTINCT FROM 'publish_failed') "
                        + "FROM listing_task WHERE status IN (10, 11)"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            auditQueue.set(rs.getLong(1));
            publishQueue.set(rs.getLong(2));
        } catch (SQLException e) {
            LOG.debugf("listing queue sizes not read: %s", e.getMessage());
        }
    }
}
