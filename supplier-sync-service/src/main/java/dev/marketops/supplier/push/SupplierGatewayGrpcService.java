package dev.marketops.supplier.push;

import dev.marketops.proto.services.ListSuppliersRequest;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierGateway;
import dev.marketops.proto.services.SupplierList;
import dev.marketops.proto.services.SupplierUpdate;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierService;
import dev.marketops.supplier.sync.Ack;
import dev.marketops.supplier.sync.Channel;
import dev.marketops.supplier.sync.Incoming;
import dev.marketops.supplier.sync.SyncApplier;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ListSuppliers for platform services; PushUpdates for supplier systems: a stream of updates,
 * taken in groups (up to {@code marketops.supplier.push.group-size} messages or 5 ms, whichever
 * first) so each group is one set-based page, answered with one ack per message in order. Up to
 * {@code marketops.supplier.push.pipeline} groups of a stream are applied side by side, each
 * writing its items after the group before it (so per item a stream's order holds).
 */
@GrpcService
public class SupplierGatewayGrpcService implements SupplierGateway {

    @Inject
    SupplierService suppliers;
    @Inject
    PushIntake intake;
    @ConfigProperty(name = "marketops.supplier.push.group-size", defaultValue = "200")
    int groupSize;
    @ConfigProperty(name = "marketops.supplier.push.pipeline", defaultValue = "2")
    int pipeline;

    @Override
    @Blocking
    public Uni<SupplierList> listSuppliers(ListSuppliersRequest request) {
        if (SupplierCallers.SUPPLIER.get() != null) {
            return Uni.createFrom().failure(Status.PERMISSION_DENIED.withDescription("platform services only").asRuntimeException());
        }
        String category = request.getCategoryCode().isBlank() ? null : request.getCategoryCode();
        SupplierList.Builder out = SupplierList.newBuilder();
        suppliers.listAll(new SupplierService.Filter(category, null)).forEach(s -> out.addSuppliers(toProto(s)));
        return Uni.createFrom().item(out.build());
    }

    @Override
    public Multi<SupplierAck> pushUpdates(Multi<SupplierUpdate> request) {
        SupplierCallers.SupplierCaller caller = SupplierCallers.SUPPLIER.get();
        if (caller == null) {
            return Multi.createFrom().failure(Status.PERMISSION_DENIED
                    .withDescription("PushUpdates is for supplier systems (their own token, role supplier)").asRuntimeException());
        }
        // the 5 ms ticker emits whether or not the previous group is applied yet: groups queue up (bounded,
        // a stream that runs more than 500 groups ahead of what is applied is failed with RESOURCE_EXHAUSTED)
        // Up to `pipeline` groups are applied side by side: each writes its items only after the group
        // before it has written (and locked) its own, so per item the stream's order holds, while
        // their catalogue calls overlap. Acks leave in message order whichever group finishes first.
        AtomicReference<CompletableFuture<Void>> last = new AtomicReference<>(CompletableFuture.completedFuture(null));
        Reorder reorder = new Reorder();
        return request.group().intoLists().of(groupSize, Duration.ofMillis(5))
                .onOverflow().buffer(500)
                .onFailure(io.smallrye.mutiny.subscription.BackPressureFailure.class).transform(e -> Status.RESOURCE_EXHAUSTED
                        .withDescription("the stream runs too far ahead of its acknowledgements: wait for acks").asRuntimeException())
                .onItem().transform(group -> {
                    // runs once per group, in arrival order: numbers the group and chains its turn
                    CompletableFuture<Void> mine = new CompletableFuture<>();
                    return new Numbered(reorder.number(), group, new StreamTurn(last.getAndSet(mine), mine));
                })
                .onItem().transformToUni(n -> Uni.createFrom().item(() -> new Done(n.seq(), handle(caller, n.group(), n.turn())))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())).merge(Math.max(1, pipeline))
                .onItem().transformToIterable(reorder::release);
    }

    private record Numbered(long seq, List<SupplierUpdate> group, StreamTurn turn) {
    }

    private record Done(long seq, List<SupplierAck> acks) {
    }

    /** A group's turn: it may write once the group before it has, and lets the next one go (idempotent). */
    private record StreamTurn(CompletableFuture<Void> previous, CompletableFuture<Void> mine) implements SyncApplier.Turn {
        @Override
        public void await() {
            try {
                // bounded: a group of a cancelled stream may never run, and must not hold the next one for ever
                previous.get(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
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

    /** Hands the groups' acks on in the order the groups came, as each contiguous run is complete. */
    private static final class Reorder {
        private long numbered;
        private long next;
        private final Map<Long, List<SupplierAck>> done = new HashMap<>();

        synchronized long number() {
            return numbered++;
        }

        synchronized List<SupplierAck> release(Done d) {
            done.put(d.seq(), d.acks());
            List<SupplierAck> out = new ArrayList<>();
            for (List<SupplierAck> acks; (acks = done.remove(next)) != null; next++) {
                out.addAll(acks);
            }
            return out;
        }
    }

    private List<SupplierAck> handle(SupplierCallers.SupplierCaller caller, List<SupplierUpdate> group, SyncApplier.Turn turn) {
        List<Incoming> page = group.stream().map(u -> new Incoming(u.getMessageId(), u.getExternalId(),
                u.getVersion() == 0 && u.getExternalId().isEmpty() ? -1 : u.getVersion(), u.getRecordJson())).toList();
        try {
            return intake.take(caller.code(), caller.userId(), Channel.GRPC, page, turn).stream()
                    .map(SupplierGatewayGrpcService::toProto).toList();
        } finally {
            turn.passed();
        }
    }

    static SupplierAck toProto(Ack a) {
        return SupplierAck.newBuilder().setMessageId(nz(a.messageId())).setExternalId(nz(a.externalId())).setAccepted(a.accepted())
                .setOutcome(a.outcome()).setReasonCode(nz(a.reasonCode())).setReason(nz(a.reason()))
                .setTaskId(a.taskId()).setItemId(a.itemId()).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static dev.marketops.proto.services.Supplier toProto(Supplier s) {
        return dev.marketops.proto.services.Supplier.newBuilder().setSupplierCode(s.code).setName(s.name)
                .setCategoryCode(s.categoryCode).setSyncMode(s.syncMode).setEnabled(s.enabled).build();
    }
}
