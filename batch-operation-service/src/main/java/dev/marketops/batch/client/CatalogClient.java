package dev.marketops.batch.client;

import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.MutinyCatalogCommandsGrpc;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeShopStatusReply;
import dev.marketops.proto.catalog.ChangeShopStatusRequest;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import dev.marketops.proto.catalog.StreamItemsRequest;
import dev.marketops.proto.catalog.VoucherCodeChunk;
import dev.marketops.proto.catalog.VoucherImportReply;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** listing-service's catalogue and listing commands as the batch workers use them; every call has a deadline. */
@ApplicationScoped
public class CatalogClient {

    private static final long DEADLINE_SECONDS = 60;

    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    /**
     * The Mutiny stub, not the injected service interface: that one carries the configured
     * deadline as an instant fixed when it was created, so every stream started more than the
     * deadline after the first one failed with DEADLINE_EXCEEDED (measured: a 1,000,000-code
     * import failed from its 61st second). A deadline per call, as for the blocking stubs.
     */
    @GrpcClient("listing")
    MutinyCatalogCommandsGrpc.MutinyCatalogCommandsStub catalogStreams;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    dev.marketops.proto.listing.ListingQueriesGrpc.ListingQueriesBlockingStub listingQueries;

    @jakarta.inject.Inject
    dev.marketops.batch.metrics.BatchStages stages;

    /** A call timed per method (and counted to the batch whose chunk makes it). */
    private <T> T timed(String method, java.util.function.Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            stages.grpc(method, System.nanoTime() - t0);
        }
    }

    private CatalogCommandsGrpc.CatalogCommandsBlockingStub c() {
        return catalog.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public Map<Long, ItemSnapshot> getItems(List<Long> ids) {
        Map<Long, ItemSnapshot> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        ItemSnapshots s = timed("GetItems", () -> c().getItems(ItemRefs.newBuilder().addAllItemIds(ids).build()));
        s.getItemsList().forEach(i -> out.put(i.getItemId(), i));
        return out;
    }

    public ItemResults adjustPrices(AdjustPricesRequest r) {
        return timed("AdjustPrices", () -> c().adjustPrices(r));
    }

    public ItemResults adjustInventory(AdjustInventoryRequest r) {
        return timed("AdjustInventory", () -> c().adjustInventory(r));
    }

    public ItemResults editItems(EditItemsRequest r) {
        return timed("EditItems", () -> c().editItems(r));
    }

    public ItemResults addTags(AddTagsRequest r) {
        return timed("AddTags", () -> c().addTags(r));
    }

    public ItemResults removeTags(RemoveTagsRequest r) {
        return timed("RemoveTags", () -> c().removeTags(r));
    }

    public ItemResults restoreItems(dev.marketops.proto.catalog.RestoreItemsRequest r) {
        return timed("RestoreItems", () -> c().restoreItems(r));
    }

    public ItemResults changeStatus(ChangeStatusRequest r) {
        return timed("ChangeStatus", () -> c().changeStatus(r));
    }

    public ChangeShopStatusReply changeShopStatus(ChangeShopStatusRequest r) {
        return timed("ChangeShopStatus", () -> c().changeShopStatus(r));
    }

    public Iterator<ItemSnapshots> streamItems(StreamItemsRequest r) {
        return catalog.withDeadlineAfter(10, TimeUnit.MINUTES).streamItems(r);
    }

    /** One client stream: the first message names the SKU, then the codes in messages of at most 5,000. */
    public VoucherImportReply importVoucherCodes(List<VoucherCodeChunk> messages) {
        return timed("ImportVoucherCodes", () -> catalogStreams.withDeadlineAfter(DEADLINE_SECONDS * 5, TimeUnit.SECONDS)
                .importVoucherCodes(Multi.createFrom().iterable(messages))
                .await().atMost(Duration.ofSeconds(DEADLINE_SECONDS * 5 + 5)));
    }

    /** Up to 2,000 tasks per call (ListingQueries.GetTasks); missing ones are left out. */
    public java.util.List<dev.marketops.proto.listing.ListingTaskReply> getTasks(java.util.List<Long> taskIds) {
        return timed("GetTasks", () -> listingQueries.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getTasks(dev.marketops.proto.listing.GetTasksRequest.newBuilder().addAllTaskIds(taskIds).build()).getTasksList());
    }

    public CreateTasksReply createTasks(CreateTasksRequest r) {
        return timed("CreateTasks", () -> listing.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).createTasks(r));
    }

    public TransitionManyReply transitionMany(TransitionManyRequest r) {
        return timed("TransitionMany", () -> listing.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).transitionMany(r));
    }
}
