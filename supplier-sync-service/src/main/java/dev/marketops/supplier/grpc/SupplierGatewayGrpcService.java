package dev.marketops.supplier.grpc;

import dev.marketops.proto.services.ListSuppliersRequest;
import dev.marketops.proto.services.SupplierGateway;
import dev.marketops.proto.services.SupplierList;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class SupplierGatewayGrpcService implements SupplierGateway {

    @Inject
    SupplierService suppliers;

    @Override
    @Blocking
    public Uni<SupplierList> listSuppliers(ListSuppliersRequest request) {
        String category = request.getCategoryCode().isBlank() ? null : request.getCategoryCode();
        SupplierList.Builder out = SupplierList.newBuilder();
        suppliers.listAll(new SupplierService.Filter(category, null)).forEach(s -> out.addSuppliers(toProto(s)));
        return Uni.createFrom().item(out.build());
    }

    static dev.marketops.proto.services.Supplier toProto(Supplier s) {
        return dev.marketops.proto.services.Supplier.newBuilder().setSupplierCode(s.code).setName(s.name)
                .setCategoryCode(s.categoryCode).setSyncMode(s.syncMode).setEnabled(s.enabled).build();
    }
}
