package dev.marketops.listing.catalogue;

import static dev.marketops.listing.catalogue.CatalogueFixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.CompensateRequest;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.RunStepsReply;
import dev.marketops.proto.catalog.RunStepsRequest;
import dev.marketops.proto.catalog.Sku;
import dev.marketops.proto.catalog.StreamItemsRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class CatalogueSagaTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    CatalogueFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    private Map<Long, ItemSnapshot> snapshots(List<Long> items) {
        ItemSnapshots s = catalog.getItems(ItemRefs.newBuilder().addAllItemIds(items).build());
        Map<Long, ItemSnapshot> out = new java.util.HashMap<>();
        s.getItemsList().forEach(i -> out.put(i.getCategoryId(), i));
        return out;
    }

    @Test
    void everySampleCategoryBecomesAnOnlineItemWithSkusPricesStockAndAttributes() {
        long shop = CatalogueFixtures.newShopId();
        List<Map<String, Object>> listings = new ArrayList<>();
        for (long category : SampleListings.SEVEN) {
            Map<String, Object> data = SampleListings.itemData(category);
            if (category == SampleListings.DEAL) {
                data.put("codes", List.of("DEAL-1", "DEAL-2", "DEAL-3", "DEAL-2"));
            }
            listings.add(CatalogueFixtures.listing(category, shop, data));
        }
        List<Long> tasks = fx.approved(listings, null);
        List<Long> items = fx.publish(tasks);
        Map<Long, ItemSnapshot> byCategory = snapshots(items);
        assertEquals(7, byCategory.size());

        for (ItemSnapshot s : byCategory.values()) {
            assertEquals("online", s.getStatus());
            assertEquals(shop, s.getShopId());
            assertEquals(6, s.getVersion(), "created at 1, one more per step");
            assertTrue(s.getFirstOnlineAt() > 0 && s.getFirstOnlineAt() == s.getLastOnlineAt());
            assertEquals(1, s.getSkusCount());
        }
        Sku deal = byCategory.get(SampleListings.DEAL).getSkus(0);
        assertEquals(10000, deal.getFaceValueCents());
        assertEquals(8800, deal.getSalePriceCents());
        assertEquals(3, deal.getStock(), "one unit per distinct code in the pool");
        assertEquals(3, fx.count("SELECT count(*) FROM voucher_code WHERE sku_id = " + deal.getSkuId()));
        assertEquals("code_pool", byCategory.get(SampleListings.DEAL).getInventoryModel());

        Sku opv = byCategory.get(SampleListings.OPV).getSkus(0);
        assertEquals(3990, opv.getSalePriceCents());
        assertEquals(100, opv.getStock());

        ItemSnapshot bundle = byCategory.get(SampleListings.BUNDLE);
        assertEquals(9900, bundle.getMinPriceCents());
        assertEquals(2, fx.count("SELECT count(*) FROM bundle_link WHERE bundle_item_id = " + bundle.getItemId()));
        assertEquals(6000, fx.count("SELECT price_cents FROM bundle_link WHERE sub_item_id = 1 AND bundle_item_id = " + bundle.getItemId()));

        Sku hotel = byCategory.get(SampleListings.HOTEL).getSkus(0);
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        assertEquals(2, hotel.getCalendarCount());
        assertEquals(tomorrow.toString(), hotel.getCalendar(0).getDate());
        assertEquals(39900, hotel.getCalendar(0).getPriceCents());
        assertEquals(42000, hotel.getCalendar(1).getPriceCents());
        assertEquals(1, hotel.getCalendar(1).getStock());
        assertEquals(39900, hotel.getSalePriceCents(), "the lowest upcoming night");
        assertEquals(2, hotel.getStock());
        assertEquals("date_based", byCategory.get(SampleListings.HOTEL).getInventoryModel());

        Sku movie = byCategory.get(SampleListings.MOVIE).getSkus(0);
        assertEquals("IMAX", movie.getName());
        assertEquals(1, movie.getCalendarCount());
        assertEquals(2, movie.getCalendar(0).getStock(), "two seats");
        assertEquals(2, movie.getStock());

        Sku topup = byCategory.get(SampleListings.TOPUP).getSkus(0);
        assertEquals(5000, topup.getFaceValueCents());
        assertEquals(4950, topup.getSalePriceCents());
        assertEquals(-1, topup.getStock());
        assertEquals(-1, byCategory.get(SampleListings.TOPUP).getTotalStock());

        Sku card = byCategory.get(SampleListings.GIFTCARD).getSkus(0);
        assertEquals(20000, card.getFaceValueCents());
        assertEquals(-1, card.getStock(), "generated cards are unlimited");

        String hotelAttributes = byCategory.get(SampleListings.HOTEL).getAttributesJson();
        assertTrue(hotelAttributes.contains("\"star_rating\":\"4-star\"") && hotelAttributes.contains("\"guest_capacity\":2"),
                hotelAttributes);
        assertFalse(hotelAttributes.contains("price_calendar"), "the calendar has rows of its own");
        assertEquals(7, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed' AND msg_key IN "
                + in(items).replace("(", "('").replace(")", "')").replace(",", "','")));
    }

    @Test
    void repeatingEveryStepWritesNothingNewAndAnswersTheSameItems() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> tasks = fx.approved(List.of(CatalogueFixtures.listing(SampleListings.HOTEL, shop, null),
                CatalogueFixtures.listing(SampleListings.MOVIE, shop, null),
                CatalogueFixtures.listing(SampleListings.OPV, shop, null)), null);
        List<Long> items = fx.publish(tasks);
        String where = " WHERE item_id IN " + in(items);
        long skus = fx.count("SELECT count(*) FROM sku" + where);
        long slots = fx.count("SELECT count(*) FROM sku_calendar k JOIN sku s USING (sku_id)" + where);
        long attributes = fx.count("SELECT count(*) FROM item_attribute" + where);
        long versions = fx.count("SELECT sum(version) FROM item" + where);
        long events = fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed'");

        List<Long> again = fx.publish(tasks); // every step a second time
        assertEquals(items, again);
        ItemResults repeated = catalog.createItems(CreateItemsRequest.newBuilder().addAllTaskIds(tasks).addTaskIds(tasks.get(0)).build());
        assertEquals(4, repeated.getSucceeded());
        assertEquals(items.get(0), repeated.getResults(3).getItemId());
        assertEquals(3, fx.count("SELECT count(*) FROM item WHERE task_id IN " + in(tasks)));
        assertEquals(skus, fx.count("SELECT count(*) FROM sku" + where));
        assertEquals(slots, fx.count("SELECT count(*) FROM sku_calendar k JOIN sku s USING (sku_id)" + where));
        assertEquals(attributes, fx.count("SELECT count(*) FROM item_attribute" + where));
        assertEquals(versions, fx.count("SELECT sum(version) FROM item" + where));
        assertTrue(events <= fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed'"));
        assertEquals(3, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'goods.status.changed' AND msg_key IN "
                + in(items).replace("(", "('").replace(")", "')").replace(",", "','")), "one online event per item");
    }

    @Test
    void compensationInReverseOrderRemovesWhatEachStepWrote() {
        long shop = CatalogueFixtures.newShopId();
        Map<String, Object> deal = SampleListings.itemData(SampleListings.DEAL);
        deal.put("codes", List.of("X1", "X2"));
        List<Long> tasks = fx.approved(List.of(CatalogueFixtures.listing(SampleListings.HOTEL, shop, null),
                CatalogueFixtures.listing(SampleListings.DEAL, shop, deal),
                CatalogueFixtures.listing(SampleListings.BUNDLE, shop, null)), null);
        List<Long> items = fx.publish(tasks);
        String where = " WHERE item_id IN " + in(items);

        compensate("mark_online", items);
        assertEquals(3, fx.count("SELECT count(*) FROM item" + where + " AND status = 'draft' AND first_online_at IS NULL"));
        compensate("set_prices", items);
        assertEquals(0, fx.count("SELECT count(*) FROM sku" + where + " AND (sale_price_cents <> 0 OR face_value_cents <> 0)"));
        compensate("init_inventory", items);
        assertEquals(0, fx.count("SELECT count(*) FROM sku" + where + " AND stock <> 0"));
        assertEquals(0, fx.count("SELECT count(*) FROM voucher_code v JOIN sku s USING (sku_id)" + where));
        compensate("set_attributes", items);
        assertEquals(0, fx.count("SELECT count(*) FROM item_attribute" + where));
        compensate("create_skus", items);
        assertEquals(0, fx.count("SELECT count(*) FROM sku" + where));
        assertEquals(0, fx.count("SELECT count(*) FROM bundle_link WHERE bundle_item_id IN " + in(items)));
        ItemResults undone = catalog.compensate(CompensateRequest.newBuilder().setStep("create_item")
                .addItemIds(items.get(0)).addTaskIds(tasks.get(1)).addTaskIds(tasks.get(2)).build());
        assertEquals(3, undone.getSucceeded());
        assertEquals(0, fx.count("SELECT count(*) FROM item WHERE task_id IN " + in(tasks)));

        // undoing again, or a step that never ran, is fine
        assertEquals(3, compensate("create_skus", items).getSucceeded());
        assertEquals(3, catalog.compensate(CompensateRequest.newBuilder().setStep("create_item").addAllTaskIds(tasks).build()).getSucceeded());
        // and the saga can run again from the start
        assertEquals(3, fx.publish(tasks).size());
    }

    private ItemResults compensate(String step, List<Long> items) {
        ItemResults r = catalog.compensate(CompensateRequest.newBuilder().setStep(step).addAllItemIds(items).build());
        assertEquals(items.size(), r.getSucceeded(), r.toString());
        return r;
    }

    /**
     * The catalogue stores attribute values of at most 2,000 characters under keys like
     * [a-z][a-z0-9_]{0,63}; validation ignores undeclared attributes, so such a listing is
     * approved and its publish fails at set_attributes (what publish-service's compensation tests use).
     */
    @Test
    void anAttributeTheCatalogueCannotStoreIsRefusedForThatItemOnly() {
        long shop = CatalogueFixtures.newShopId();
        Map<String, Object> tooLong = SampleListings.itemData(SampleListings.OPV);
        tooLong.put("remarks", "x".repeat(2001));
        Map<String, Object> badKey = SampleListings.itemData(SampleListings.OPV);
        badKey.put("Bad Key", "v");
        List<Long> tasks = fx.approved(List.of(CatalogueFixtures.listing(SampleListings.OPV, shop, tooLong),
                CatalogueFixtures.listing(SampleListings.OPV, shop, badKey),
                CatalogueFixtures.listing(SampleListings.OPV, shop, null)), null);
        List<Long> items = catalog.createItems(CreateItemsRequest.newBuilder().addAllTaskIds(tasks).build())
                .getResultsList().stream().map(ItemResult::getItemId).toList();
        ItemResults r = catalog.setAttributes(ItemRefs.newBuilder().addAllItemIds(items).build());
        assertEquals(1, r.getSucceeded());
        assertEquals("REFUSED_ATTRIBUTE", r.getResults(0).getErrorCode());
        assertEquals("remarks", r.getResults(0).getErrorField());
        assertFalse(r.getResults(0).getRetryable());
        assertEquals("REFUSED_ATTRIBUTE", r.getResults(1).getErrorCode());
        assertEquals("Bad Key", r.getResults(1).getErrorField());
        assertTrue(r.getResults(2).getOk());
        assertEquals(0, fx.count("SELECT count(*) FROM item_attribute WHERE item_id IN " + in(items.subList(0, 2))));
    }

    /**
     * RunSteps (publish-service's path): the six steps in one call make the same items as one call
     * per step, and an item refused at a step takes no later step while the others go on.
     */
    @Test
    void runStepsMakesTheSameItemsAsOneCallPerStepAndStopsAnItemAtItsRefusal() {
        long shop = CatalogueFixtures.newShopId();
        List<Map<String, Object>> listings = new ArrayList<>();
        for (long category : SampleListings.SEVEN) {
            listings.add(CatalogueFixtures.listing(category, shop, SampleListings.itemData(category)));
        }
        Map<Long, ItemSnapshot> stepByStep = snapshots(fx.publish(fx.approved(listings, null)));

        List<Map<String, Object>> withRefusal = new ArrayList<>(listings);
        Map<String, Object> badKey = SampleListings.itemData(SampleListings.OPV);
        badKey.put("Bad Key", "v");
        withRefusal.add(3, CatalogueFixtures.listing(SampleListings.OPV, shop, badKey));
        List<Long> tasks = fx.approved(withRefusal, null);
        RunStepsReply reply = catalog.runSteps(RunStepsRequest.newBuilder().addAllSteps(CatalogueSaga.STEPS).addAllTaskIds(tasks)
                .addAllSagaIds(tasks.stream().map(CatalogueFixtures::sagaOf).toList()).build());
        assertEquals(6, reply.getStepsCount());
        assertEquals(List.of(8, 8, 8, 7, 7, 7), reply.getStepsList().stream().map(ItemResults::getResultsCount).toList(),
                "the refused item leaves after set_attributes");
        ItemResult refused = reply.getSteps(2).getResultsList().stream().filter(r -> !r.getOk()).findFirst().orElseThrow();
        assertEquals(3, refused.getIndex(), "indexed by its position in the request");
        assertEquals("REFUSED_ATTRIBUTE", refused.getErrorCode());
        for (int k = 3; k < 6; k++) {
            assertTrue(reply.getSteps(k).getResultsList().stream().allMatch(ItemResult::getOk), reply.getSteps(k).toString());
            assertTrue(reply.getSteps(k).getResultsList().stream().noneMatch(r -> r.getIndex() == 3));
        }
        long refusedItem = reply.getSteps(0).getResults(3).getItemId();
        assertEquals(1, fx.count("SELECT count(*) FROM item WHERE status = 'draft' AND saga_steps = ARRAY['create_item', 'create_skus']"
                + " AND item_id = " + refusedItem));

        List<Long> items = new ArrayList<>();
        reply.getSteps(5).getResultsList().forEach(r -> items.add(r.getItemId()));
        Map<Long, ItemSnapshot> combined = snapshots(items);
        assertEquals(7, combined.size());
        for (Map.Entry<Long, ItemSnapshot> e : stepByStep.entrySet()) {
            ItemSnapshot a = e.getValue(), b = combined.get(e.getKey());
            assertEquals("online", b.getStatus());
            assertEquals(a.getVersion(), b.getVersion(), "one version per step");
            assertEquals(a.getAttributesJson(), b.getAttributesJson());
            assertEquals(a.getMinPriceCents(), b.getMinPriceCents());
            assertEquals(a.getTotalStock(), b.getTotalStock());
            assertEquals(a.getSkusCount(), b.getSkusCount());
            for (int k = 0; k < a.getSkusCount(); k++) {
                Sku x = a.getSkus(k), y = b.getSkus(k);
                assertEquals(List.of(x.getName(), x.getSalePriceCents(), x.getFaceValueCents(), x.getStock(), x.getCalendarCount()),
                        List.of(y.getName(), y.getSalePriceCents(), y.getFaceValueCents(), y.getStock(), y.getCalendarCount()));
            }
        }
        assertEquals(7, fx.count("SELECT count(*) FROM product_version_history WHERE saga_id IN "
                + in(tasks.stream().map(CatalogueFixtures::sagaOf).toList()).replace("(", "('").replace(")", "')").replace(",", "','")),
                "each published item's history names its saga");

        RunStepsReply again = catalog.runSteps(RunStepsRequest.newBuilder().addAllSteps(CatalogueSaga.STEPS.subList(1, 6))
                .addAllItemIds(items).build());
        assertTrue(again.getStepsList().stream().allMatch(r -> r.getFailed() == 0 && r.getResultsCount() == 7), "repeating is ok");
        assertEquals(List.of(6L), snapshots(items).values().stream().map(ItemSnapshot::getVersion).distinct().toList(),
                "and writes nothing");

        io.grpc.StatusRuntimeException gap = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> catalog.runSteps(RunStepsRequest.newBuilder().addSteps("create_skus").addSteps("set_prices").addItemIds(items.get(0)).build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, gap.getStatus().getCode(), gap.toString());
    }

    /** RunSteps through complete_task: the whole saga's listing side in one call, the task ONLINE with its item. */
    @Test
    void runStepsThroughCompleteTaskLeavesTheTaskOnline() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> tasks = fx.approved(SampleListings.TOPUP, shop, 2);
        List<String> all = new ArrayList<>(CatalogueSaga.STEPS);
        all.add("complete_task");
        RunStepsReply reply = catalog.runSteps(RunStepsRequest.newBuilder().addAllSteps(all).addAllTaskIds(tasks).build());
        assertEquals(7, reply.getStepsCount());
        ItemResults completed = reply.getSteps(6);
        assertEquals(2, completed.getSucceeded(), completed.toString());
        for (ItemResult r : completed.getResultsList()) {
            assertEquals(tasks.get(r.getIndex()), r.getTaskId());
            assertEquals(reply.getSteps(0).getResults(r.getIndex()).getItemId(), r.getItemId());
            dev.marketops.proto.listing.ListingTaskReply t = listingTask(r.getTaskId());
            assertEquals(20, t.getStatus(), "ONLINE");
            assertEquals(r.getItemId(), t.getItemId());
        }
        List<Long> items = completed.getResultsList().stream().map(ItemResult::getItemId).toList();
        RunStepsReply again = catalog.runSteps(RunStepsRequest.newBuilder().addSteps("complete_task").addAllTaskIds(tasks)
                .addAllItemIds(items).build());
        assertEquals(2, again.getSteps(0).getSucceeded(), "already ONLINE answers ok: " + again);
        assertEquals(2, fx.count("SELECT count(*) FROM outbox_event WHERE topic = 'listing.published' AND msg_key IN "
                + in(tasks).replace("(", "('").replace(")", "')").replace(",", "','")), "published once each");
        io.grpc.StatusRuntimeException alone = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> catalog.runSteps(RunStepsRequest.newBuilder().addSteps("complete_task").addAllTaskIds(tasks).build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, alone.getStatus().getCode(), alone.toString());
    }

    private dev.marketops.proto.listing.ListingTaskReply listingTask(long taskId) {
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT status, item_id FROM listing_task WHERE task_id = " + taskId)) {
            rs.next();
            return dev.marketops.proto.listing.ListingTaskReply.newBuilder().setStatus(rs.getInt(1)).setItemId(rs.getLong(2)).build();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownItemsAndTasksComeBackPerItemNotAsAFailedCall() {
        ItemResults r = catalog.createSkus(ItemRefs.newBuilder().addItemIds(-5).build());
        assertEquals("NOT_FOUND", r.getResults(0).getErrorCode());
        ItemResults t = catalog.createItems(CreateItemsRequest.newBuilder().addTaskIds(-6).build());
        assertEquals("NOT_FOUND", t.getResults(0).getErrorCode());
        ItemSnapshots s = catalog.getItems(ItemRefs.newBuilder().addItemIds(-7).build());
        assertEquals(List.of(-7L), s.getMissingItemIdsList());
    }

    @Test
    void streamItemsWalksAShopInItemIdOrderAcrossPages() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> items = fx.publish(fx.approved(SampleListings.OPV, shop, 5));
        Iterator<ItemSnapshots> pages = catalog.streamItems(StreamItemsRequest.newBuilder().setShopId(shop).setPageSize(2).build());
        List<Long> seen = new ArrayList<>();
        int n = 0;
        while (pages.hasNext()) {
            ItemSnapshots p = pages.next();
            n++;
            p.getItemsList().forEach(i -> seen.add(i.getItemId()));
        }
        assertEquals(3, n);
        assertEquals(items.stream().sorted().toList(), seen);
    }

    @Test
    void streamItemsWithoutAShopWalksACategorysOnlineItemsForAService() {
        long shop = CatalogueFixtures.newShopId();
        List<Long> items = fx.publish(fx.approved(SampleListings.OPV, shop, 2));
        // no shop and no user behind the call (config-service counting what an attribute change affects)
        Iterator<ItemSnapshots> pages = catalog.streamItems(StreamItemsRequest.newBuilder().addCategoryIds(SampleListings.OPV)
                .addStatuses("online").setAfterItemId(items.get(0) - 1).setPageSize(500).build());
        List<Long> seen = new ArrayList<>();
        pages.forEachRemaining(p -> p.getItemsList().forEach(i -> seen.add(i.getItemId())));
        assertTrue(seen.containsAll(items), "both items in " + seen.size() + " seen");
    }

    /** One call per step for a thousand items: each step is a few set-based statements, so it takes well under a second per step. */
    @Test
    void aThousandItemsGoThroughEachStepInOneCall() {
        long shop = CatalogueFixtures.newShopId();
        List<Map<String, Object>> listings = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            listings.add(CatalogueFixtures.listing(i % 2 == 0 ? SampleListings.HOTEL : SampleListings.OPV, shop, null));
        }
        List<Long> tasks = fx.approved(listings, CatalogueFixtures.newShopId());
        long started = System.nanoTime();
        List<Long> items = fx.publish(tasks);
        long sagaMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        ItemSnapshots all = catalog.getItems(ItemRefs.newBuilder().addAllItemIds(items).build());
        long readMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("1,000 items: six saga steps in %d ms, GetItems in %d ms%n", sagaMillis, readMillis);
        assertEquals(1000, all.getItemsCount());
        assertEquals(1000, fx.count("SELECT count(*) FROM item WHERE status = 'online' AND shop_id = " + shop));
        assertEquals(1000, fx.count("SELECT count(*) FROM sku_calendar k JOIN sku s USING (sku_id) JOIN item i USING (item_id) WHERE i.shop_id = " + shop));
    }
}
