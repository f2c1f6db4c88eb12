package dev.marketops.config;

import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.StreamItemsRequest;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalogue's StreamItems for config-service's tests, served on config-service's own test gRPC
 * port: listing-service depends on config-service, so it cannot run under config-service's tests.
 * It answers like the real one (the requested categories and statuses, item id order, pages of
 * page_size, through the same authenticated channel); tests put the items a category holds.
 */
@GrpcService
public class CatalogueStub extends CatalogCommandsGrpc.CatalogCommandsImplBase {

    static final Map<Long, List<ItemSnapshot>> ITEMS = new ConcurrentHashMap<>();

    @Override
    public void streamItems(StreamItemsRequest r, StreamObserver<ItemSnapshots> out) {
        List<ItemSnapshot> matching = r.getCategoryIdsList().stream()
                .flatMap(c -> ITEMS.getOrDefault(c, List.of()).stream())
                .filter(i -> r.getStatusesCount() == 0 || r.getStatusesList().contains(i.getStatus()))
                .filter(i -> i.getItemId() > r.getAfterItemId())
                .sorted(Comparator.comparingLong(ItemSnapshot::getItemId)).toList();
        int size = r.getPageSize() <= 0 ? 500 : r.getPageSize();
        for (int from = 0; from < matching.size(); from += size) {
            out.onNext(ItemSnapshots.newBuilder().addAllItems(matching.subList(from, Math.min(matching.size(), from + size))).build());
        }
        out.onCompleted();
    }
}
