package dev.marketops.batch.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Where a batch's time goes, stage by stage: {@code marketops_batch_stage_seconds{operation, stage}}
 * on /q/metrics, and one log line per batch finished on this replica with the time its stages took
 * here (summed over chunks; chunk loops run side by side, so the sum can exceed the wall time).
 * The gRPC calls of a chunk are recorded by the client while the runner has the batch
 * {@link #during current} on its thread.
 */
@ApplicationScoped
public class BatchStages {

    private static final Logger LOG = Logger.getLogger(BatchStages.class);
    private static final int MAX_TRACKED = 1000;
    private static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(6);

    public enum Stage {
        /** reading the sheet, checking each row and COPYing the items */
        PARSE,
        /** checks over the whole file (duplicates, error policy) */
        VALIDATE,
        /** claiming a chunk (lock, lease, counters) */
        CLAIM,
        /** a chunk's versions and before-values written before its call */
        PREPARE,
        /** the gRPC calls to the owning service */
        GRPC,
        /** the operation's own code around its calls (requests, projections of before/after) */
        WORKER,
        /** the chunk's outcomes and counters written */
        APPLY_OUTCOME,
        /** nothing to claim: waiting for other loops' chunks or backoff */
        IDLE,
        /** the result file written */
        RESULT_FILE
    }

    @Inject
    MeterRegistry meters;

    private final Map<Long, Clock> batches = new ConcurrentHashMap<>();
    private final ThreadLocal<Current> current = new ThreadLocal<>();

    /** The batch a runner thread works on, with the time its recorded stages took inside the worker's code. */
    private static final class Current {
        final Clock clock;
        long inner;

        Current(Clock clock) {
            this.clock = clock;
        }
    }

    /** One batch's stage times on this replica. */
    static final class Clock {
        final String operation;
        final long startedNanos = System.nanoTime();
        final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);
        final Map<String, long[]> calls = new java.util.TreeMap<>(); // method -> {nanos, count}

        Clock(String operation) {
            this.operation = operation;
        }

        synchronized void add(Stage s, long n) {
            nanos.merge(s, n, Long::sum);
        }

        synchronized void call(String method, long n) {
            long[] c = calls.computeIfAbsent(method, k -> new long[2]);
            c[0] += n;
            c[1]++;
        }

        synchronized String summary() {
            String stages = nanos.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue() / 1_000_000 + "ms")
                    .collect(Collectors.joining(" "));
            String grpc = calls.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()[0] / 1_000_000 + "ms/" + e.getValue()[1])
                    .collect(Collectors.joining(" "));
            return stages + (grpc.isEmpty() ? "" : " (grpc: " + grpc + ")");
        }
    }

    private Clock clock(long batchId, String operation) {
        Clock c = batches.get(batchId);
        if (c != null) {
            return c;
        }
        if (batches.size() >= MAX_TRACKED) {
            // batches finished elsewhere (another replica, a listing upload's outcome events) leave their clocks here
            long now = System.nanoTime();
            batches.values().removeIf(old -> now - old.startedNanos > FORGET_AFTER_NANOS);
        }
        return batches.computeIfAbsent(batchId, k -> new Clock(operation));
    }

    /** Records {@code nanos} of {@code stage} for the batch. */
    public void record(long batchId, String operation, Stage stage, long nanos) {
        timer(operation, stage.name().toLowerCase()).record(nanos, TimeUnit.NANOSECONDS);
        clock(batchId, operation).add(stage, nanos);
        Current cur = current.get();
        if (cur != null) {
            cur.inner += nanos;
        }
    }

    /** Runs {@code work} as a stage of the batch. */
    public <T> T time(long batchId, String operation, Stage stage, java.util.function.Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(batchId, operation, stage, System.nanoTime() - t0);
        }
    }

    /**
     * Runs a worker's {@code work} with the batch current on this thread: its gRPC calls and stages
     * are counted to the batch, the rest of its time as {@link Stage#WORKER}.
     */
    public <T> T during(long batchId, String operation, java.util.concurrent.Callable<T> work) throws Exception {
        Current cur = new Current(clock(batchId, operation));
        current.set(cur);
        long t0 = System.nanoTime();
        try {
            return work.call();
        } finally {
            current.remove();
            record(batchId, operation, Stage.WORKER, Math.max(0, System.nanoTime() - t0 - cur.inner));
        }
    }

    /** A gRPC call by the client: timed per method, and counted to the batch current on this thread. */
    public void grpc(String method, long nanos) {
        Current cur = current.get();
        Clock c = cur == null ? null : cur.clock;
        String operation = c == null ? "none" : c.operation;
        Timer.builder("marketops_batch_grpc_seconds").description("gRPC calls of batch chunks to the owning service")
                .tag("operation", operation).tag("method", method).register(meters).record(nanos, TimeUnit.NANOSECONDS);
        if (c != null) {
            cur.inner += nanos;
            c.add(Stage.GRPC, nanos);
            c.call(method, nanos);
            timer(c.operation, "grpc").record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The batch reached its final status here: one line with its stage times, and forget them. */
    public void finished(long batchId, String batchCode, String status, int total) {
        Clock c = batches.remove(batchId);
        if (c == null) {
            return;
        }
        LOG.infof("batch %s %s: %d rows, %d ms since it was uploaded or taken up here; stages %s", batchCode, status, total,
                (System.nanoTime() - c.startedNanos) / 1_000_000, c.summary());
    }

    /** A result file written ({@code rows} rows). */
    public void resultFile(long batchId, String operation, int rows, long nanos) {
        timer(operation, "result_file").record(nanos, TimeUnit.NANOSECONDS);
        LOG.infof("batch %d: result file of %d rows written in %d ms", batchId, rows, nanos / 1_000_000);
    }

    private Timer timer(String operation, String stage) {
        return Timer.builder("marketops_batch_stage_seconds").description("time per stage of a batch (upload, chunks, result file)")
                .tag("operation", operation).tag("stage", stage).register(meters);
    }
}
