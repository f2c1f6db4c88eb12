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
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ListSuppliers for platform services; PushUpdates for supplier systems: a stream of updates,
 * taken in pages ({@link PushStream}: what has come, up to {@code marketops.supplier.push.group-size}
 * messages, as soon as one of the {@code marketops.supplier.push.pipeline} pages applied side by
 * side is done), each one set-based page, answered with one ack per message in order; each page
 * writes its items after the page before it (so per item a stream's order holds).
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
        return PushStream.of(request, groupSize, pipeline, (page, turn) -> handle(caller, page, turn));
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
