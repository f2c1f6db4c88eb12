package dev.marketops.batch.worker;

import dev.marketops.platform.outbox.Outbox;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import dev.marketops.batch.item.BatchItems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs batches through their operation's worker, chunk by chunk: claim (one transaction),
 * apply (one call to the owning service, no transaction held), record outcomes and counters
 * (one transaction, with any events through the outbox). Between chunks it honours cancel.
 * A batch left half done by a crashed process is picked up again by {@link BatchSweeper}
 * once its claims' leases run out; items whose call was interrupted are told apart by the
 * target's version recorded just before the call (see {@link Chunk#prepared}).
 */
@ApplicationScoped
public class BatchRunner {

    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    @Inject
    AgroalDataSource ds;
    @Inject
    BatchItems items;
    @Inject
    BatchWorkers workers;
    @Inject
    Outbox outbox;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "marketops.batch.lease-seconds", defaultValue = "60")
    int leaseSeconds;
    @ConfigProperty(name = "marketops.batch.max-attempts", defaultValue = "3")
    int maxAttempts;
    @ConfigProperty(name = "marketops.batch.runner-threads", defaultValue = "4")
    int threads;
    /**
     * Chunk loops per batch on this replica. Two overlap one chunk's call to the owning service
     * with the next chunk's claim and the last one's recording (SKIP LOCKED and leases keep
     * them apart, as between replicas).
     */
    @ConfigProperty(name = "marketops.batch.loops-per-batch", defaultValue = "2")
    int loopsPerBatch;
    /** Caps every operation's chunk size (small chunks make crash tests land mid-batch). */
    @ConfigProperty(name = "marketops.batch.max-chunk-size", defaultValue = "100000")
    int maxChunkSize;
    /**
     * Fault-injection hook for crash tests only: a pause after each chunk, so that a kill
     * lands mid-batch however fast the machine is. Zero (off) unless a test sets it.
     */
    @ConfigProperty(name = "marketops.batch.test-chunk-pause", defaultValue = "PT0S")
    java.time.Duration chunkPause;

    /** Batches running here, with how many of their loops are still going. */
    private final Map<Long, AtomicInteger> running = new ConcurrentHashMap<>();
    private volatile ExecutorService pool;

    private ExecutorService pool() {
        if (pool == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(threads, r -> {
                        Thread t = new Thread(r, "batch-runner");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return pool;
    }

    void stop(@Observes ShutdownEvent e) {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Starts the batch on this replica unless it already runs here. */
    public void submit(long batchId) {
        int loops = Math.max(1, loopsPerBatch);
        if (running.putIfAbsent(batchId, new AtomicInteger(loops)) == null) {
            for (int n = 0; n < loops; n++) {
                pool().execute(() -> {
                    try {
                        run(batchId);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "batch %d stopped; the sweeper resumes it", batchId);
                        meters.counter("marketops_batch_runner_errors_total").increment();
                    } finally {
                        running.computeIfPresent(batchId, (k, left) -> left.decrementAndGet() == 0 ? null : left);
                    }
                });
            }
        }
    }

    public boolean runsHere(long batchId) {
        return running.containsKey(batchId);
    }

    void run(long batchId) {
        int cursor = 0;
        while (true) {
            Optional<BatchState> found = tx(c -> BatchState.load(c, batchId));
            if (found.isEmpty() || !"processing".equals(found.get().status())) {
                return;
            }
            BatchState b = found.get();
            BatchWorker worker = workers.get(b.operationType());
            if (b.cancelRequested()) {
                cancel(b);
                return;
            }
            int after = cursor;
            BatchItems.Claimed claimed = tx(c -> {
                BatchItems.Claimed cl = items.claim(c, batchId, b.createdAt(), after, Math.min(worker.chunkSize(), maxChunkSize),
                        leaseSeconds);
                if (!cl.items().isEmpty()) {
                    bump(c, batchId, "processing_count = processing_count + " + cl.newlyProcessing()
                            + ", started_at = coalesce(started_at, now())");
                }
                return cl;
            });
            if (claimed.items().isEmpty()) {
                if (cursor > 0) {
                    cursor = 0; // one pass from the start for retries in backoff and expired leases
                    continue;
                }
                if (!waitForOthers(b)) {
                    return;
                }
                continue;
            }
            cursor = claimed.items().get(claimed.items().size() - 1).rowNo();
            LOG.debugf("batch %d: claimed %d items up to row %d (chunk %d, cap %d, pause %s)", batchId, claimed.items().size(), cursor, worker.chunkSize(), maxChunkSize, chunkPause);
            Chunk chunk = new Chunk(batchId, b.batchCode(), b.createdAt(), b.params(), b.createdBy(), b.dryRun(),
                    b.totalCount(), claimed.items(), (rows, versions, befores) -> tx(c -> {
                        items.prepare(c, batchId, b.createdAt(), rows, versions, befores);
                        return null;
                    }));
            long started = System.nanoTime();
            ChunkResult result = applySafely(worker, chunk);
            record(b, claimed.items(), result);
            meters.timer("marketops_batch_chunk_seconds", "operation", b.operationType())
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (!chunkPause.isZero()) {
                try {
                    Thread.sleep(chunkPause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Transient trouble with the owning service is a retry of every item of the chunk, bounded by attempts. */
    private ChunkResult applySafely(BatchWorker worker, Chunk chunk) {
        try {
            return worker.apply(chunk);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            boolean transientFailure = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                    || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.ABORTED;
            LOG.warnf("batch %d chunk of %d items: %s", chunk.batchId(), chunk.items().size(), e.getStatus());
            List<ItemOutcome> out = new ArrayList<>();
            for (ClaimedItem i : chunk.items()) {
                out.add(transientFailure ? ItemOutcome.retry(i.rowNo(), "UPSTREAM_" + code, e.getStatus().getDescription())
                        : ItemOutcome.failed(i.rowNo(), "UPSTREAM_" + code, null,
                        "the owning service refused the call: " + e.getStatus().getDescription()));
            }
            return ChunkResult.of(out);
        } catch (RuntimeException e) {
            LOG.errorf(e, "batch %d chunk failed", chunk.batchId());
            List<ItemOutcome> out = new ArrayList<>();
            for (ClaimedItem i : chunk.items()) {
                out.add(ItemOutcome.retry(i.rowNo(), "INTERNAL", String.valueOf(e.getMessage())));
            }
            return ChunkResult.of(out);
        }
    }

    private void record(BatchState b, List<ClaimedItem> claimed, ChunkResult result) {
        java.util.Map<Integer, Integer> attempts = new java.util.HashMap<>();
        claimed.forEach(i -> attempts.put(i.rowNo(), i.attempts()));
        int ok = 0, failed = 0, released = 0;
        for (ItemOutcome o : result.outcomes()) {
            switch (o.kind()) {
                case SUCCEEDED -> ok++;
                case FAILED -> failed++;
                case RETRY -> {
                    if (attempts.getOrDefault(o.rowNo(), maxAttempts) >= maxAttempts) {
                        failed++;
                    } else {
                        released++;
                    }
                }
                case AWAITING -> { }
            }
        }
        int fOk = ok, fFailed = failed, fReleased = released;
        tx(c -> {
            items.record(c, b.batchId(), b.createdAt(), result.outcomes(), maxAttempts);
            bump(c, b.batchId(), "success_count = success_count + " + fOk + ", failed_count = failed_count + " + fFailed
                    + ", applied_count = applied_count + " + (fOk + fFailed)
                    + ", processing_count = greatest(0, processing_count - " + (fOk + fFailed + fReleased) + ")");
            outbox.enqueueAll(result.events());
            return null;
        });
        meters.counter("marketops_batch_items_total", "operation", b.operationType(), "outcome", "succeeded").increment(ok);
        meters.counter("marketops_batch_items_total", "operation", b.operationType(), "outcome", "failed").increment(failed);
    }

    /**
     * Nothing to claim right now. Items in backoff or held by another replica: wait a little
     * and look again. Only items awaiting a later event (or none at all): leave; the batch
     * finishes here when nothing is open any more.
     */
    private boolean waitForOthers(BatchState b) {
        Boolean busy = tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT EXISTS (SELECT 1 FROM operation_batch_item WHERE batch_id = ? AND created_at = ?
                                     AND (status = 'pending' OR (status = 'processing' AND lease_until <> 'infinity')))""")) {
                ps.setLong(1, b.batchId());
                ps.setObject(2, b.createdAt());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
        if (busy) {
            sleep(200);
            return true;
        }
        finishIfDone(b.batchId());
        return false;
    }

    /** The final status from the counts, once no item is open. Safe to call from anywhere, any number of times. */
    public void finishIfDone(long batchId) {
        tx(c -> {
            Optional<BatchState> s = BatchState.load(c, batchId);
            if (s.isEmpty() || !"processing".equals(s.get().status()) || items.open(c, batchId, s.get().createdAt())) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE operation_batch_task SET
                        status = CASE WHEN cancel_requested THEN 'cancelled'
                                      WHEN success_count = 0 AND failed_count > 0 THEN 'failed'
                                      WHEN failed_count > 0 THEN 'partial_success' ELSE 'completed' END,
                        progress = 100, processing_count = 0, finished_at = now(), updated_at = now(), version = version + 1
                    WHERE batch_id = ? AND status = 'processing'""")) {
                ps.setLong(1, batchId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void cancel(BatchState b) {
        tx(c -> {
            int skipped = items.skipOpen(c, b.batchId(), b.createdAt(), "CANCELLED", "the batch was cancelled before this row ran");
            bump(c, b.batchId(), "skipped_count = skipped_count + " + skipped);
            return null;
        });
        finishIfDone(b.batchId());
    }

    /** Counter arithmetic plus the progress that follows from it, in one statement. */
    static void bump(Connection c, long batchId, String assignments) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE operation_batch_task SET " + assignments
                + ", updated_at = now(), version = version + 1 WHERE batch_id = ?")) {
            ps.setLong(1, batchId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_task SET progress = CASE WHEN total_count = 0 THEN 0
                    ELSE least(99, (success_count + failed_count + skipped_count) * 100 / total_count) END
                WHERE batch_id = ? AND status = 'processing'""")) {
            ps.setLong(1, batchId);
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T tx(SqlWork<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                return work.run(c);
            }
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
