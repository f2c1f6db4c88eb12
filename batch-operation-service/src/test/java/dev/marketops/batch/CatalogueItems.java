package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Online catalogue items made the way the platform makes them: listing tasks approved, then the publish saga's six steps. */
final class CatalogueItems {

    private final String listingUrl;
    private final ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    private final CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueItems(String listingUrl, ListingCommandsGrpc.ListingCommandsBlockingStub listing,
                   CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog) {
        this.listingUrl = listingUrl;
        this.listing = listing;
        this.catalog = catalog;
    }

    List<Long> online(long categoryId, int n) {
        return online(categoryId, n, 5150L);
    }

    /** Online items of the shop {@code merchantId} (made by its merchant user 42). */
    List<Long> online(long categoryId, int n, long merchantId) {
        // A loaded machine can make the peer's config lookup time out (CONFIG_UNAVAILABLE): create what is missing again.
        List<Long> ids = new ArrayList<>();
        String last = "";
        for (int attempt = 0; attempt < 5 && ids.size() < n; attempt++) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = ids.size(); i < n; i++) {
                Map<String, Object> t = new HashMap<>(SampleListings.draft(categoryId, "merchant_portal", "merchant"));
                t.put("merchantId", merchantId);
                tasks.add(t);
            }
            // the drafts' merchant and creator (42, SampleListings) are the token's: listing-service takes them from it
            var reply = given().header("Authorization", Tokens.merchantBearer(42, merchantId)).contentType("application/json")
                    .body(Map.of("tasks", tasks))
                    .post(listingUrl + "/listings/batch").then().statusCode(200).extract().jsonPath();
            last = reply.prettify();
            for (Object id : reply.getList("results.taskId")) {
                if (id != null) {
                    ids.add(Long.parseLong(id.toString()));
                }
            }
        }
        assertEquals(n, ids.size(), "listing tasks could not be created: " + last);
        transition(ids, TransitionManyRequest.newBuilder().setAction("submit").setOperatorType("merchant"));
        transition(ids, TransitionManyRequest.newBuilder().setAction("approve").setOperatorType("auditor").setOperatorId(7)
                .setAuditType("manual").setReason("ok"));
        ItemResults created = catalog.createItems(CreateItemsRequest.newBuilder().addAllTaskIds(ids).build());
        List<Long> items = created.getResultsList().stream().map(ItemResult::getItemId).toList();
        ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(items).build();
        for (ItemResults r : List.of(catalog.createSkus(refs), catalog.setAttributes(refs), catalog.initInventory(refs),
                catalog.setPrices(refs), catalog.markOnline(refs))) {
            assertTrue(r.getFailed() == 0, r.toString());
        }
        return items;
    }

    /** The action on every task, again for those a loaded peer refused for a transient reason. */
    private void transition(List<Long> ids, TransitionManyRequest.Builder action) {
        List<Long> left = ids;
        for (int attempt = 0; attempt < 5 && !left.isEmpty(); attempt++) {
            TransitionManyReply r = listing.transitionMany(action.clone().clearTaskIds().addAllTaskIds(left).build());
            List<Long> failed = new ArrayList<>();
            r.getResultsList().stream().filter(x -> !x.getOk()).forEach(x -> failed.add(x.getTaskId()));
            left = failed;
        }
        assertTrue(left.isEmpty(), action.getAction() + " failed for " + left);
    }

    Map<Long, ItemSnapshot> read(List<Long> ids) {
        Map<Long, ItemSnapshot> out = new HashMap<>();
        catalog.getItems(ItemRefs.newBuilder().addAllItemIds(ids).build()).getItemsList().forEach(i -> out.put(i.getItemId(), i));
        return out;
    }
}
