package dev.marketops.batch.worker;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.security.ActorPropagation;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.metrics.BatchStages;
import dev.marketops.batch.metrics.BatchStages.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
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
    @Inject
    dev.marketops.batch.metrics.BatchMetrics batchMetrics;
    @Inject
    OutagePolicy outages;
    @Inject
    BatchStages stages;

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

    /** How long a shutdown waits for the chunks being applied (below the pod's termination grace period). */
    @ConfigProperty(name = "marketops.batch.shutdown-grace", defaultValue = "PT20S")
    java.time.Duration shutdownGrace;

    private volatile boolean stopping;

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

    /**
     * Graceful shutdown (SIGTERM, a rolling restart): no new chunk is claimed, a chunk being
     * applied is finished and recorded, then the loops end, within the grace period. What is still
     * running after it is interrupted: its claims' leases run out and another replica takes them.
     */
    void stop(@Observes ShutdownEvent e) {
        stopping = true;
        ExecutorService p = pool;
        if (p == null) {
            return;
        }
        p.shutdown();
        try {
            if (!p.awaitTermination(shutdownGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warnf("batch loops still running after %s: interrupted, their claims go back when the leases end", shutdownGrace);
                p.shutdownNow();
            } else {
                LOG.infof("batch loops stopped: every claimed chunk finished and recorded");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            p.shutdownNow();
        }
    }

    /** Starts the batch on this replica unless it already runs here. */
    public void submit(long batchId) {
        if (stopping) {
            return; // shutting down: another replica (or this one, restarted) takes the batch
        }
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
        while (!stopping) {
            int after = cursor;
            long claimStarted = System.nanoTime();
            // the batch's state and the next chunk in one transaction
            Step step = tx(c -> {
                Optional<BatchState> found = BatchState.load(c, batchId);
                if (found.isEmpty() || !"processing".equals(found.get().status())) {
                    return null;
                }
                BatchState state = found.get();
                BatchWorker w = workers.get(state.operationType());
                if (!BatchWorkers.runsHere(w.type()) || state.cancelRequested()) {
                    return new Step(state, w, null);
                }
                BatchItems.Claimed cl = items.claim(c, batchId, state.createdAt(), after, Math.min(w.chunkSize(), maxChunkSize),
                        leaseSeconds);
                if (!cl.items().isEmpty()) {
                    bump(c, batchId, "processing_count = processing_count + " + cl.newlyProcessing()
                            + ", started_at = coalesce(started_at, now())");
                }
                return new Step(state, w, cl);
            });
            if (step == null) {
                return;
            }
            BatchState b = step.batch();
            BatchWorker worker = step.worker();
            if (!BatchWorkers.runsHere(worker.type())) {
                return; // worker switch off here: a replica of its own worker type runs it
            }
            if (b.cancelRequested()) {
                cancel(b);
                return;
            }
            BatchItems.Claimed claimed = step.claimed();
            stages.record(batchId, b.operationType(), Stage.CLAIM, System.nanoTime() - claimStarted);
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
                    b.totalCount(), claimed.items(), (rows, versions, befores) -> stages.time(batchId, b.operationType(),
                            Stage.PREPARE, () -> tx(c -> {
                                items.prepare(c, batchId, b.createdAt(), rows, versions, befores);
                                return null;
                            })), b.actor());
            long started = System.nanoTime();
            Attempt attempt = applySafely(worker, chunk);
            if (attempt.outage() != null) {
                waitOut(b, worker, claimed.items(), attempt.outage());
                continue;
            }
            long recordStarted = System.nanoTime();
            record(b, claimed.items(), attempt.result());
            stages.record(batchId, b.operationType(), Stage.APPLY_OUTCOME, System.nanoTime() - recordStarted);
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

    /** A batch as a loop found it, with the chunk it claimed (none when it is not to run here now). */
    private record Step(BatchState batch, BatchWorker worker, BatchItems.Claimed claimed) {
    }

    /** The owning service could not be reached or was overloaded: nothing is known about the rows themselves. */
    record Outage(String code, String description) {
    }

    /** A chunk's outcome, or the outage that kept it from having one. */
    record Attempt(ChunkResult result, Outage outage) {
    }

    /**
     * Applies the chunk as the batch's creator (every gRPC call carries that actor, so the owning
     * service checks the creator's rights, e.g. a merchant's own shop). An outage of the owning
     * service (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, connection refused) is handed
     * back as such: it is no fault of the rows. Other trouble counts against each row's attempts.
     */
    private Attempt applySafely(BatchWorker worker, Chunk chunk) {
        try {
            return new Attempt(ActorPropagation.callAs(chunk.actor(), () -> stages.during(chunk.batchId(),
                    dev.marketops.batch.WireEnums.wire(worker.type()), () -> worker.apply(chunk))), null);
        } catch (Exception e) {
            Outage outage = outageOf(e);
            if (outage != null) {
                LOG.warnf("batch %d chunk of %d items: %s unreachable (%s %s)", chunk.batchId(), chunk.items().size(),
                        worker.owningService(), outage.code(), outage.description());
                return new Attempt(null, outage);
            }
            List<ItemOutcome> out = new ArrayList<>();
            if (e instanceof StatusRuntimeException sre) {
                Status.Code code = sre.getStatus().getCode();
                LOG.warnf("batch %d chunk of %d items: %s", chunk.batchId(), chunk.items().size(), sre.getStatus());
                for (ClaimedItem i : chunk.items()) {
                    out.add(code == Status.Code.ABORTED ? ItemOutcome.retry(i.rowNo(), "UPSTREAM_" + code, sre.getStatus().getDescription())
                            : ItemOutcome.failed(i.rowNo(), "UPSTREAM_" + code, null,
                            "the owning service refused the call: " + sre.getStatus().getDescription()));
                }
            } else {
                LOG.errorf(e, "batch %d chunk failed", chunk.batchId());
                for (ClaimedItem i : chunk.items()) {
                    out.add(ItemOutcome.retry(i.rowNo(), "INTERNAL", String.valueOf(e.getMessage())));
                }
            }
            return new Attempt(ChunkResult.of(out), null);
        }
    }

    /** Whether a failure is an outage of the service called (anywhere in its causes), and which. */
    static Outage outageOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusRuntimeException sre) {
                Status.Code code = sre.getStatus().getCode();
                return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                        || code == Status.Code.RESOURCE_EXHAUSTED
                        ? new Outage(code.name(), String.valueOf(sre.getStatus().getDescription())) : null;
            }
            if (t instanceof java.net.ConnectException) {
                return new Outage("UNAVAILABLE", "connection refused: " + t.getMessage());
            }
        }
        return null;
    }

    /**
     * Puts the chunk back after an outage, to be tried again after a pause that grows with each
     * put-back in a row, without counting the attempt against its rows; the batch says what it
     * waits for. Once the outage has outlasted the budget (counted from its first refused call),
     * the chunk's rows fail with UPSTREAM_&lt;code&gt; instead (a resume tries them again).
     * The batch's row is locked, so its loops (and replicas) agree on when the outage began.
     */
    private void waitOut(BatchState b, BatchWorker worker, List<ClaimedItem> claimed, Outage outage) {
        List<Integer> rows = claimed.stream().map(ClaimedItem::rowNo).toList();
        String code = "UPSTREAM_" + outage.code();
        boolean gaveUp = tx(c -> {
            OffsetDateTime since;
            OffsetDateTime now;
            int retries;
            String waitingFor;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT waiting_since, outage_retries, now(), waiting_for FROM operation_batch_task WHERE batch_id = ? FOR UPDATE")) {
                ps.setLong(1, b.batchId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    since = rs.getObject(1, OffsetDateTime.class);
                    retries = rs.getInt(2);
                    now = rs.getObject(3, OffsetDateTime.class);
                    waitingFor = rs.getString(4);
                }
            }
            boolean first = since == null;
            OffsetDateTime began = first ? now : since;
            java.time.Duration waited = java.time.Duration.between(began, now);
            if (waited.compareTo(outages.budget()) > 0) {
                String message = worker.owningService() + " was unreachable for " + waited.toSeconds()
                        + " s, longer than the outage budget (" + outages.budget().toSeconds() + " s): "
                        + outage.description() + "; resume the batch to try these rows again";
                List<ItemOutcome> failed = rows.stream().map(r -> ItemOutcome.failed(r, code, null, message)).toList();
                int n = items.record(c, b.batchId(), b.createdAt(), failed, maxAttempts, held(claimed)).failed();
                bump(c, b.batchId(), "failed_count = failed_count + " + n
                        + ", applied_count = applied_count + " + n
                        + ", processing_count = greatest(0, processing_count - " + n + ")"
                        + ", waiting_for = " + quote(GAVE_UP + worker.owningService() + " (" + outage.code()
                        + ") after " + waited.toSeconds() + " s"));
                // Once per outage: every chunk claimed meanwhile (other loops, replicas) gives up after the first.
                if (waitingFor == null || !waitingFor.startsWith(GAVE_UP)) {
                    BatchHistory.add(c, b.batchId(), "outage_budget_used", null, null, rows.size(), message);
                }
                return true;
            }
            java.time.Duration pause = outages.backoff(retries);
            int n = items.release(c, b.batchId(), b.createdAt(), rows, claimed.stream().map(ClaimedItem::attempts).toList(),
                    pause.toMillis(), code, "waiting for " + worker.owningService() + ": " + outage.description());
            String waiting = worker.owningService() + " " + outage.code() + " (" + outage.description() + "); next try in "
                    + pause.toMillis() + " ms; waiting since " + began + ", budget " + outages.budget().toSeconds() + " s";
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE operation_batch_task SET waiting_for = ?, waiting_since = coalesce(waiting_since, now()),
                           outage_retries = outage_retries + 1, processing_count = greatest(0, processing_count - ?),
                           updated_at = now(), version = version + 1
                    WHERE batch_id = ?""")) {
                ps.setString(1, waiting);
                ps.setInt(2, n);
                ps.setLong(3, b.batchId());
                ps.executeUpdate();
            }
            if (first) {
                BatchHistory.add(c, b.batchId(), "outage_started", null, null, rows.size(), waiting);
            }
            return false;
        });
        meters.counter("marketops_batch_outage_chunks_total", "operation", b.operationType(), "outcome",
                gaveUp ? "failed" : "released").increment();
    }

    /** How waiting_for begins once a batch gave up on an outage (until a resume or the service's return clears it). */
    private static final String GAVE_UP = "gave up waiting for ";

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private void record(BatchState b, List<ClaimedItem> claimed, ChunkResult result) {
        java.util.Map<Integer, Integer> held = held(claimed);
        BatchItems.Recorded r = tx(c -> {
            BatchItems.Recorded rec = items.record(c, b.batchId(), b.createdAt(), result.outcomes(), maxAttempts, held);
            bump(c, b.batchId(), "success_count = success_count + " + rec.succeeded() + ", failed_count = failed_count + "
                    + rec.failed() + ", applied_count = applied_count + " + (rec.succeeded() + rec.failed())
                    + ", processing_count = greatest(0, processing_count - " + (rec.succeeded() + rec.failed() + rec.released()) + ")");
            if (rec.total() > 0) {
                outbox.enqueueAll(result.events());
            }
            endOutage(c, b.batchId());
            return rec;
        });
        if (r.total() < result.outcomes().size()) {
            LOG.warnf("batch %d: %d of %d rows of a chunk were claimed again meanwhile (the call outlasted the lease); left to that claim",
                    b.batchId(), result.outcomes().size() - r.total(), result.outcomes().size());
            meters.counter("marketops_batch_lost_claims_total", "operation", b.operationType()).increment(result.outcomes().size() - r.total());
        }
        meters.counter("marketops_batch_items_total", "operation", b.operationType(), "outcome", "succeeded").increment(r.succeeded());
        meters.counter("marketops_batch_items_total", "operation", b.operationType(), "outcome", "failed").increment(r.failed());
        batchMetrics.applied(b.operationType(), r.succeeded(), r.failed());
    }

    private static java.util.Map<Integer, Integer> held(List<ClaimedItem> claimed) {
        java.util.Map<Integer, Integer> held = new java.util.HashMap<>();
        claimed.forEach(i -> held.put(i.rowNo(), i.attempts()));
        return held;
    }

    /** The owning service answered again: the batch stops waiting, and its history says how long it waited. */
    private static void endOutage(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_task t SET waiting_for = NULL, waiting_since = NULL, outage_retries = 0
                FROM (SELECT batch_id, waiting_since, outage_retries FROM operation_batch_task
                       WHERE batch_id = ? AND waiting_since IS NOT NULL FOR UPDATE) o
                WHERE t.batch_id = o.batch_id
                RETURNING extract(epoch FROM now() - o.waiting_since)::int, o.outage_retries""")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    BatchHistory.add(c, batchId, "outage_ended", null, null, null, "waited " + rs.getInt(1)
                            + " s; chunks put back " + rs.getInt(2) + " times");
                }
            }
        }
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
            long t0 = System.nanoTime();
            sleep(200);
            stages.record(b.batchId(), b.operationType(), Stage.IDLE, System.nanoTime() - t0);
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
                    WHERE batch_id = ? AND status = 'processing'
                    RETURNING status, total_count""")) {
                ps.setLong(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        BatchCompletion.announce(outbox, c, batchId);
                        batchMetrics.finished(c, batchId);
                        stages.finished(batchId, s.get().batchCode(), rs.getString(1), rs.getInt(2));
                    }
                }
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
