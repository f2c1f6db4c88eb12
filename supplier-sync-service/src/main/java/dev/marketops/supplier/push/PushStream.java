package dev.marketops.supplier.push;

import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierUpdate;
import dev.marketops.supplier.sync.SyncApplier;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * One PushUpdates stream as pages: messages queue as they come, and whenever fewer than
 * {@code pipeline} pages are being applied, what is queued (up to {@code pageSize}) becomes the
 * next page at once. A lone message is applied without waiting for company; a stream that runs
 * ahead is taken in full pages, formed while the pages before them are applied. Pages write their
 * items in stream order (each after the page before it has written and locked its own, see
 * {@link SyncApplier.Turn}) and their acks leave in message order. The stream is read only as
 * far as {@code pageSize * (pipeline + 2)} messages ahead of its acks (gRPC flow control holds
 * the supplier back).
 */
final class PushStream implements MultiSubscriber<SupplierUpdate> {

    /** A stream whose transport delivers past the demand is failed beyond this many pages queued (as before flow control). */
    static final int MAX_QUEUED_PAGES = 500;

    private final int pageSize;
    private final int pipeline;
    private final BiFunction<List<SupplierUpdate>, SyncApplier.Turn, List<SupplierAck>> apply;
    private final MultiEmitter<? super SupplierAck> out;
    private final ArrayDeque<SupplierUpdate> queued = new ArrayDeque<>();
    private final Reorder reorder = new Reorder();
    private Flow.Subscription upstream;
    private CompletableFuture<Void> lastTurn = CompletableFuture.completedFuture(null);
    private int applying;
    private boolean upstreamDone;
    private boolean ended;

    private PushStream(int pageSize, int pipeline, BiFunction<List<SupplierUpdate>, SyncApplier.Turn, List<SupplierAck>> apply,
                       MultiEmitter<? super SupplierAck> out) {
        this.pageSize = pageSize;
        this.pipeline = pipeline;
        this.apply = apply;
        this.out = out;
    }

    /** The acks of {@code updates}, each page applied by {@code apply} in its turn on a worker thread. */
    static Multi<SupplierAck> of(Multi<SupplierUpdate> updates, int pageSize, int pipeline,
                                 BiFunction<List<SupplierUpdate>, SyncApplier.Turn, List<SupplierAck>> apply) {
        return Multi.createFrom().emitter(out -> {
            PushStream s = new PushStream(Math.max(1, pageSize), Math.max(1, pipeline), apply, out);
            out.onTermination(s::cancelUpstream);
            updates.subscribe().withSubscriber(s);
        });
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        synchronized (this) {
            upstream = s;
        }
        s.request((long) pageSize * (pipeline + 2));
    }

    @Override
    public void onItem(SupplierUpdate u) {
        synchronized (this) {
            if (ended) {
                return;
            }
            queued.add(u);
            if (queued.size() > pageSize * MAX_QUEUED_PAGES) {
                end(Status.RESOURCE_EXHAUSTED.withDescription("the stream runs too far ahead of its acknowledgements: wait for acks")
                        .asRuntimeException());
                return;
            }
        }
        startPages();
    }

    @Override
    public void onFailure(Throwable t) {
        synchronized (this) {
            end(t);
        }
    }

    @Override
    public void onCompletion() {
        synchronized (this) {
            upstreamDone = true;
            completeIfDone();
        }
    }

    /** Forms pages from what is queued while there is room among the pages being applied. */
    private void startPages() {
        while (true) {
            List<SupplierUpdate> page;
            long seq;
            StreamTurn turn;
            synchronized (this) {
                if (ended || applying >= pipeline || queued.isEmpty()) {
                    return;
                }
                page = new ArrayList<>(Math.min(pageSize, queued.size()));
                while (page.size() < pageSize && !queued.isEmpty()) {
                    page.add(queued.poll());
                }
                applying++;
                seq = reorder.number();
                CompletableFuture<Void> mine = new CompletableFuture<>();
                turn = new StreamTurn(lastTurn, mine);
                lastTurn = mine;
            }
            Infrastructure.getDefaultWorkerPool().execute(() -> applied(seq, page.size(), applyInTurn(page, turn)));
        }
    }

    private List<SupplierAck> applyInTurn(List<SupplierUpdate> page, StreamTurn turn) {
        try {
            return apply.apply(page, turn);
        } catch (RuntimeException e) {
            synchronized (this) {
                end(e);
            }
            return List.of();
        } finally {
            turn.passed();
        }
    }

    private void applied(long seq, int taken, List<SupplierAck> acks) {
        Flow.Subscription more;
        synchronized (this) {
            applying--;
            if (ended) {
                return;
            }
            reorder.release(seq, acks).forEach(out::emit);
            more = upstreamDone ? null : upstream;
            completeIfDone();
        }
        if (more != null) {
            more.request(taken);
        }
        startPages();
    }

    private void completeIfDone() {
        if (!ended && upstreamDone && queued.isEmpty() && applying == 0) {
            ended = true;
            out.complete();
        }
    }

    /** Fails the stream once; pages under way finish their writes (their acks are not sent). */
    private void end(Throwable t) {
        if (!ended) {
            ended = true;
            queued.clear();
            out.fail(t);
        }
    }

    private void cancelUpstream() {
        Flow.Subscription s;
        synchronized (this) {
            ended = true;
            queued.clear();
            s = upstreamDone ? null : upstream;
        }
        if (s != null) {
            s.cancel();
        }
    }

    /** A page's turn: it may write once the page before it has, and lets the next one go (idempotent). */
    private record StreamTurn(CompletableFuture<Void> previous, CompletableFuture<Void> mine) implements SyncApplier.Turn {
        @Override
        public void await() {
            try {
                // bounded: the page before must not hold this one for ever
                previous.get(2, TimeUnit.MINUTES);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                throw new SyncApplier.PageNotApplied("the stream's previous group did not finish", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncApplier.PageNotApplied("interrupted", e);
            }
        }

        @Override
        public void passed() {
            mine.complete(null);
        }
    }

    /** Hands the pages' acks on in the order the pages were formed, as each contiguous run is complete. */
    private static final class Reorder {
        private long numbered;
        private long next;
        private final Map<Long, List<SupplierAck>> done = new HashMap<>();

        long number() {
            return numbered++;
        }

        List<SupplierAck> release(long seq, List<SupplierAck> acks) {
            done.put(seq, acks);
            List<SupplierAck> out = new ArrayList<>();
            for (List<SupplierAck> a; (a = done.remove(next)) != null; next++) {
                out.addAll(a);
            }
            return out;
        }
    }
}
