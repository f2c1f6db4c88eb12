package dev.marketops.batch.metrics;

import dev.marketops.batch.WireEnums;
import dev.marketops.batch.batch.OperationType;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The unified batch metrics of main seed 8.2, every series registered at startup for every
 * operation type (at 0), so a scrape always finds them:
 * <ul>
 * <li>{@code operation_batch_task_total{operation_type, status=processing|success|failed}}: batches that
 * started processing, and that finished (completed or partially successful: success; failed;
 * cancelled ones as cancelled);</li>
 * <li>{@code operation_batch_task_duration_seconds{operation_type}}: start to finish of a batch;</li>
 * <li>{@code operation_batch_item_total{operation_type, status=success|failed}}: rows applied;</li>
 * <li>{@code operation_batch_item_processing_rate{operation_type}}: rows per second over the last minute;</li>
 * <li>{@code operation_worker_queue_size{worker}}: rows still to do in processing batches (price_update,
 * inventory_update, code_import as in the seed; the other operations by their own name), and
 * {@code listing_worker_queue_size{worker="parse"}}: uploads being parsed;</li>
 * <li>for the alerts of 8.3: {@code operation_batch_task_processing{operation_type}} (batches processing now)
 * and {@code operation_batch_task_oldest_processing_seconds{operation_type}} (how long the oldest of them
 * has been processing: a stuck batch).</li>
 * </ul>
 * The gauges read {@code operation_batch_task} every 15 s through the partial index of running batches.
 */
@ApplicationScoped
public class BatchMetrics {

    private static final Logger LOG = Logger.getLogger(BatchMetrics.class);
    private static final int WINDOW_SECONDS = 60;

    @Inject
    MeterRegistry meters;
    @Inject
    AgroalDataSource ds;

    private final Map<String, Rate> rates = new HashMap<>();
    private final Map<String, AtomicLong> processing = new HashMap<>();
    private final Map<String, AtomicLong> oldest = new HashMap<>();
    private final Map<String, AtomicLong> queue = new HashMap<>();
    private final AtomicLong parsing = new AtomicLong();

    void register(@Observes StartupEvent ignored) {
        for (OperationType t : OperationType.values()) {
            String op = WireEnums.wire(t);
            for (String status : new String[] {"processing", "success", "failed"}) {
                batches(op, status);
            }
            items(op, "success");
            items(op, "failed");
            duration(op);
            Rate r = new Rate();
            rates.put(op, r);
            Gauge.builder("operation_batch_item_processing_rate", r, Rate::perSecond).description("batch rows applied per second, last minute")
                    .tag("operation_type", op).register(meters);
            processing.put(op, gauge("operation_batch_task_processing", "operation_type", op, "batches processing now"));
            oldest.put(op, gauge("operation_batch_task_oldest_processing_seconds", "operation_type", op,
                    "how long the oldest processing batch has been processing"));
            queue.put(op, gauge("operation_worker_queue_size", "worker", worker(op), "batch rows waiting for the worker"));
        }
        Gauge.builder("listing_worker_queue_size", parsing, AtomicLong::get).description("uploads being parsed")
                .tag("worker", "parse").register(meters);
    }

    /** The seed's worker names (9.x: PriceUpdateWorker, InventoryUpdateWorker, CodeImportWorker). */
    static String worker(String operationType) {
        return switch (operationType) {
            case "price_adjust" -> "price_update";
            case "voucher_code_import" -> "code_import";
            default -> operationType;
        };
    }

    /** A batch left intake: {@code processing}, or {@code failed} when no row could be applied. */
    public void started(String operationType, String status) {
        batches(operationType, "processing".equals(status) ? "processing" : "failed").increment();
    }

    /** A batch reached its final status after {@code took} of processing. */
    public void finished(String operationType, String status, Duration took) {
        String label = switch (status) {
            case "completed", "partial_success" -> "success";
            case "failed" -> "failed";
            default -> status;
        };
        batches(operationType, label).increment();
        if (took != null && !took.isNegative()) {
            duration(operationType).record(took);
        }
    }

    /** The batch just finished in {@code c}'s transaction: its final status and processing time, by its row. */
    public void finished(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT operation_type, status, "
                + "extract(epoch FROM finished_at - coalesce(started_at, created_at)) FROM operation_batch_task WHERE batch_id = ?")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    finished(rs.getString(1), rs.getString(2), Duration.ofMillis((long) (rs.getDouble(3) * 1000)));
                }
            }
        }
    }

    /** Rows of a chunk recorded. */
    public void applied(String operationType, long succeeded, long failed) {
        items(operationType, "success").increment(succeeded);
        items(operationType, "failed").increment(failed);
        Rate r = rates.get(operationType);
        if (r != null) {
            r.add(succeeded + failed);
        }
    }

    @Scheduled(every = "15s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void readRunning() {
        Map<String, long[]> found = new HashMap<>();
        long parse = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT operation_type, count(*) FILTER (WHERE status = 'processing'),
                       coalesce(extract(epoch FROM now() - min(coalesce(started_at, created_at)) FILTER (WHERE status = 'processing')), 0),
                       coalesce(sum(greatest(0, total_count - success_count - failed_count - skipped_count))
                           FILTER (WHERE status = 'processing'), 0),
                       count(*) FILTER (WHERE status = 'validating')
                FROM operation_batch_task WHERE status IN ('validating', 'processing') GROUP BY operation_type""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.put(rs.getString(1), new long[] {rs.getLong(2), (long) rs.getDouble(3), rs.getLong(4)});
                parse += rs.getLong(5);
            }
        } catch (SQLException e) {
            LOG.debugf("running batches not read: %s", e.getMessage());
            return;
        }
        parsing.set(parse);
        processing.forEach((op, v) -> {
            long[] f = found.getOrDefault(op, new long[3]);
            v.set(f[0]);
            oldest.get(op).set(f[1]);
            queue.get(op).set(f[2]);
        });
    }

    private Counter batches(String op, String status) {
        return Counter.builder("operation_batch_task_total").description("batches by the status they reached")
                .tag("operation_type", op).tag("status", status).register(meters);
    }

    private Counter items(String op, String status) {
        return Counter.builder("operation_batch_item_total").description("batch rows applied")
                .tag("operation_type", op).tag("status", status).register(meters);
    }

    private Timer duration(String op) {
        return Timer.builder("operation_batch_task_duration_seconds").description("processing time of a batch")
                .tag("operation_type", op).register(meters);
    }

    private AtomicLong gauge(String name, String tag, String value, String description) {
        AtomicLong v = new AtomicLong();
        Gauge.builder(name, v, AtomicLong::get).description(description).tag(tag, value).register(meters);
        return v;
    }

    /** Rows per second over the last minute, in one-second buckets. */
    static final class Rate {
        private final long[] counts = new long[WINDOW_SECONDS];
        private final long[] seconds = new long[WINDOW_SECONDS];

        synchronized void add(long n) {
            long now = System.currentTimeMillis() / 1000;
            int i = (int) (now % WINDOW_SECONDS);
            if (seconds[i] != now) {
                seconds[i] = now;
                counts[i] = 0;
            }
            counts[i] += n;
        }

        synchronized double perSecond() {
            long now = System.currentTimeMillis() / 1000;
            long sum = 0;
            for (int i = 0; i < WINDOW_SECONDS; i++) {
                if (now - seconds[i] < WINDOW_SECONDS) {
                    sum += counts[i];
                }
            }
            return (double) sum / WINDOW_SECONDS;
        }
    }
}
