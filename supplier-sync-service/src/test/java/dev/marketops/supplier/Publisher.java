package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.proto.listing.TransitionRequest;
import java.util.List;

/**
 * What audit-service (fast track) and publish-service's saga do with a submitted supplier task,
 * played by the test (the module tests run listing-service and config-service only).
 */
final class Publisher {

    private final ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    private final CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    /** The injected stubs carry the configured deadline from their creation on: each Publisher gets fresh ones. */
    Publisher(ListingCommandsGrpc.ListingCommandsBlockingStub listing, CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog) {
        this.listing = listing.withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS);
        this.catalog = catalog.withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Approves and publishes the tasks; answers their items, in order. */
    List<Long> publish(List<Long> tasks) {
        TransitionManyReply approved = listing.transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(tasks)
                .setAction("approve").setOperatorType("system").setAuditType("fast_track").setReason("fast track").build());
        assertEquals(0, approved.getFailed(), approved.toString());
        ItemResults created = catalog.createItems(CreateItemsRequest.newBuilder().addAllTaskIds(tasks).build());
        assertEquals(0, created.getFailed(), created.toString());
        List<Long> items = created.getResultsList().stream().map(r -> r.getItemId()).toList();
        ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(items).build();
        for (ItemResults r : List.of(catalog.createSkus(refs), catalog.setAttributes(refs), catalog.initInventory(refs),
                catalog.setPrices(refs), catalog.markOnline(refs))) {
            assertTrue(r.getFailed() == 0, r.toString());
        }
        for (int i = 0; i < tasks.size(); i++) {
            listing.transition(TransitionRequest.newBuilder().setTaskId(tasks.get(i)).setAction("publish").setExpectedVersion(-1)
                    .setItemId(items.get(i)).setOperatorType("system").build());
        }
        return items;
    }

    ItemSnapshot item(long itemId) {
        return catalog.getItems(ItemRefs.newBuilder().addItemIds(itemId).build()).getItems(0);
    }
}
