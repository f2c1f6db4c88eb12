package dev.marketops.listing.catalogue.history;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.listing.catalogue.CatalogueFixtures;
import dev.marketops.listing.catalogue.ShopStatusService;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeShopStatusRequest;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemEdit;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every catalogue change path leaves exactly one history row per changed product, with who did it and why. */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class ProductHistoryTest {

    @Inject
    AgroalDataSource ds;
    @Inject
    ShopStatusService shops;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    CatalogueFixtures fx;
    HistoryFixtures h;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
        h = new HistoryFixtures(ds);
    }

    private List<Long> published(long category, long shop, int n) {
        return fx.publish(fx.approved(category, shop, n));
    }

    private static PriceChange addCents(int row, long item, long cents) {
        return PriceChange.newBuilder().setIndex(row).setItemId(item).setMode("add").setValue(cents).build();
    }

    private static StockChange addStock(int row, long item, long qty) {
        return StockChange.newBuilder().setIndex(row).setItemId(item).setMode("add").setQuantity(qty).build();
    }

    private static void gapless(List<Map<String, Object>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            assertEquals((long) (i + 1), ((Number) rows.get(i).get("version_number")).longValue(), "versions " + rows);
        }
    }

    @Test
    void publishingIsTheFirstVersionWithTheWholeContentAndItsListingTask() {
        long shop = HistoryFixtures.newShopId();
        List<Long> tasks = fx.approved(SampleListings.OPV, shop, 2);
        List<Long> items = fx.publish(tasks);
        for (int i = 0; i < items.size(); i++) {
            List<Map<String, Object>> rows = h.rows(items.get(i));
            assertEquals(1, rows.size(), rows.toString());
            Map<String, Object> r = rows.get(0);
            assertEquals(1L, ((Number) r.get("version_number")).longValue());
            assertEquals("STATUS", r.get("change_type"));
            assertEquals(tasks.get(i), ((Number) r.get("task_id")).longValue());
            assertEquals(String.valueOf(CatalogueFixtures.sagaOf(tasks.get(i))), r.get("saga_id"), "the publish saga is the cause");
            assertTrue(((String) r.get("old_value")).contains("\"status\": \"draft\""), r.toString());
            assertTrue(((String) r.get("new_value")).contains("\"status\": \"online\""), r.toString());
            assertTrue(((String) r.get("new_value")).contains("sale_price_cents"), "the whole content is new: " + r);
        }
    }

    @Test
    void batchChunksRecordOneRowPerChangedProductWithBatchRowAndOperator() throws Exception {
        long shop = HistoryFixtures.newShopId();
        List<Long> items = published(SampleListings.OPV, shop, 3);
        long a = items.get(0), b = items.get(1), c = items.get(2);
        long batch = System.nanoTime();

        // Price: rows 4 and 5 change a twice (one row for a), row 6 changes b; c untouched.
        ItemResults prices = HistoryFixtures.as(77, Roles.OPERATOR, "Olga Ops", "198.51.100.7", "console/2", () ->
                catalog.adjustPrices(AdjustPricesRequest.newBuilder().setBatchId(batch).setReason("autumn prices").setOperatorId(77)
                        .addChanges(addCents(4, a, 100)).addChanges(addCents(5, a, 50)).addChanges(addCents(6, b, -100)).build()));
        assertEquals(3, prices.getSucceeded(), prices.toString());
        assertEquals(2, h.rows(a).size());
        Map<String, Object> pa = h.last(a);
        assertEquals("PRICE", pa.get("change_type"));
        assertEquals(77L, ((Number) pa.get("operator_id")).longValue());
        assertEquals("Olga Ops", pa.get("operator_name"));
        assertEquals("operator", pa.get("operator_role"));
        assertEquals("198.51.100.7", pa.get("ip_address"));
        assertEquals("console/2", pa.get("device_info"));
        assertEquals(batch, ((Number) pa.get("batch_id")).longValue());
        assertEquals(4, ((Number) pa.get("batch_row")).intValue());
        assertEquals("autumn prices", pa.get("change_reason"));
        assertTrue(((String) pa.get("new_value")).contains("sale_price_cents") && !((String) pa.get("new_value")).contains("title"),
                "only the changed fields: " + pa);
        assertEquals(6, ((Number) h.last(b).get("batch_row")).intValue());
        assertEquals(1, h.rows(c).size(), "an unchanged product gets no row");

        // Stock from a supplier's update.
        ItemResults stock = HistoryFixtures.as(900, Roles.SUPPLIER, null, null, null, () -> catalog.adjustInventory(
                AdjustInventoryRequest.newBuilder().setReason("supplier feed").setSupplierId("acme").setSupplierMessageId("msg-17")
                        .addChanges(addStock(0, c, 5)).build()));
        assertEquals(1, stock.getSucceeded(), stock.toString());
        Map<String, Object> sc = h.last(c);
        assertEquals("STOCK", sc.get("change_type"));
        assertEquals("acme", sc.get("supplier_id"));
        assertEquals("msg-17", sc.get("supplier_message_id"));
        assertEquals(900L, ((Number) sc.get("operator_id")).longValue());
        var stockOld = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) sc.get("old_value"));
        var stockNew = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) sc.get("new_value"));
        assertEquals(1, stockNew.size(), "only the SKU's stock changed: " + sc);
        String stockPath = stockNew.fieldNames().next();
        assertTrue(stockPath.startsWith("skus.") && stockPath.endsWith(".stock"), stockPath);
        assertEquals(stockOld.get(stockPath).asLong() + 5, stockNew.get(stockPath).asLong(), "the stock moved by 5: " + sc);

        // Title and attribute edits; tags.
        ItemResults edits = HistoryFixtures.as(78, Roles.OPERATOR, null, null, null, () -> catalog.editItems(EditItemsRequest.newBuilder()
                .setBatchId(batch + 1).addEdits(ItemEdit.newBuilder().setIndex(1).setItemId(a).setTitle("Premium wash"))
                .addEdits(ItemEdit.newBuilder().setIndex(2).setItemId(b).setAttributesJson("{\"valid_days\":60}")).build()));
        assertEquals(2, edits.getSucceeded(), edits.toString());
        assertEquals("DESC", h.last(a).get("change_type"));
        assertEquals("ATTRIBUTE", h.last(b).get("change_type"));
        assertEquals("operator#78", h.last(a).get("operator_name"), "no display name in the token: role and id");

        ItemResults tags = HistoryFixtures.as(79, Roles.OPERATOR, null, null, null, () -> catalog.addTags(AddTagsRequest.newBuilder()
                .addItemIds(a).addItemIds(c).addTags(CatalogueFixtures.tag(configUrl, "autumn")).setBatchId(batch + 2).build()));
        assertEquals(2, tags.getSucceeded());
        assertEquals("TAG", h.last(a).get("change_type"));
        assertEquals("TAG", h.last(c).get("change_type"));
        assertEquals(1, ((Number) h.last(c).get("batch_row")).intValue());

        for (long id : items) {
            gapless(h.rows(id));
        }
        assertEquals(4, h.rows(a).size());
        assertEquals(3, h.rows(b).size());
        assertEquals(3, h.rows(c).size());
    }

    @Test
    void aNightsPriceRecordsTheNightAndTheBasePriceItMoved() throws Exception {
        long hotel = published(SampleListings.HOTEL, HistoryFixtures.newShopId(), 1).get(0);
        ItemSnapshot before = catalog.getItems(ItemRefs.newBuilder().addItemIds(hotel).build()).getItems(0);
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        long night = before.getSkus(0).getCalendarList().stream().filter(k -> k.getDate().equals(tomorrow)).findFirst()
                .orElseThrow(() -> new AssertionError("the sample hotel has no night " + tomorrow + ": " + before)).getPriceCents();
        ItemResults r = HistoryFixtures.as(901, Roles.SUPPLIER, null, null, null, () -> catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                .setReason("supplier feed").setSupplierId("acme").setSupplierMessageId("msg-18")
                .addChanges(PriceChange.newBuilder().setIndex(0).setItemId(hotel).setMode("set").setValue(100).setPriceDate(tomorrow)).build()));
        assertEquals(1, r.getSucceeded(), r.toString());
        Map<String, Object> row = h.last(hotel);
        assertEquals("PRICE", row.get("change_type"));
        assertEquals("msg-18", row.get("supplier_message_id"));
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var old = mapper.readTree((String) row.get("old_value"));
        var neu = mapper.readTree((String) row.get("new_value"));
        String sku = "skus." + before.getSkus(0).getSkuCode() + ".";
        // the night, and the base price it lowered (the lowest upcoming night), nothing else
        java.util.Set<String> paths = new java.util.HashSet<>();
        neu.fieldNames().forEachRemaining(paths::add);
        assertEquals(java.util.Set.of(sku + "calendar." + tomorrow + ".price_cents", sku + "sale_price_cents"), paths, row.toString());
        assertEquals(night, old.get(sku + "calendar." + tomorrow + ".price_cents").asLong());
        assertEquals(100, neu.get(sku + "calendar." + tomorrow + ".price_cents").asLong());
        assertEquals(before.getSkus(0).getSalePriceCents(), old.get(sku + "sale_price_cents").asLong());
        assertEquals(100, neu.get(sku + "sale_price_cents").asLong());
        gapless(h.rows(hotel));
    }

    @Test
    void pricesAndStockInOneCallApplyTogetherEachWithItsOwnRowAndRefusal() {
        List<Long> items = published(SampleListings.OPV, HistoryFixtures.newShopId(), 2);
        long a = items.get(0), b = items.get(1);
        ItemSnapshot was = catalog.getItems(ItemRefs.newBuilder().addItemIds(a).build()).getItems(0);
        int rowsA = h.rows(a).size(), rowsB = h.rows(b).size();
        var reply = HistoryFixtures.as(902, Roles.SUPPLIER, null, null, null, () -> catalog.adjustPricesAndInventory(
                dev.marketops.proto.catalog.AdjustPricesAndInventoryRequest.newBuilder()
                        .setPrices(AdjustPricesRequest.newBuilder().setSupplierId("acme").setSupplierMessageId("m-1,m-2")
                                .addChanges(addCents(0, a, 100))
                                .addChanges(PriceChange.newBuilder().setIndex(1).setItemId(b).setMode("set").setValue(-5)))
                        .setStock(AdjustInventoryRequest.newBuilder().setSupplierId("acme").setSupplierMessageId("m-1,m-2")
                                .addChanges(addStock(0, a, 5)).addChanges(addStock(1, b, 7)))
                        .build()));
        assertEquals(1, reply.getPrices().getSucceeded(), reply.toString());
        assertEquals("PRICE_NOT_POSITIVE", reply.getPrices().getResults(1).getErrorCode(), "b's price is refused ...");
        assertEquals(2, reply.getStock().getSucceeded(), "... its stock is not: " + reply);
        ItemSnapshot now = catalog.getItems(ItemRefs.newBuilder().addItemIds(a).build()).getItems(0);
        assertEquals(was.getSkus(0).getSalePriceCents() + 100, now.getSkus(0).getSalePriceCents());
        assertEquals(was.getSkus(0).getStock() + 5, now.getSkus(0).getStock());
        assertEquals(was.getVersion() + 2, now.getVersion(), "a version per command");
        assertEquals(now.getVersion(), reply.getStock().getResults(0).getItemVersion(), "the stock part answers the last version");
        List<Map<String, Object>> ra = h.rows(a);
        assertEquals(rowsA + 2, ra.size());
        Map<String, Object> priceRow = ra.get(ra.size() - 2), stockRow = ra.get(ra.size() - 1);
        assertEquals(List.of("PRICE", "STOCK"), List.of(priceRow.get("change_type"), stockRow.get("change_type")), ra.toString());
        assertEquals("m-1,m-2", stockRow.get("supplier_message_id"));
        assertEquals(902L, ((Number) priceRow.get("operator_id")).longValue());
        assertEquals(rowsB + 1, h.rows(b).size(), "b: its stock only");
        gapless(ra);
        // nothing to do is a refusal of the call
        io.grpc.StatusRuntimeException empty = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> HistoryFixtures.as(902, Roles.SUPPLIER, null, null, null, () -> catalog.adjustPricesAndInventory(
                        dev.marketops.proto.catalog.AdjustPricesAndInventoryRequest.getDefaultInstance())));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode(), empty.toString());
    }

    @Test
    void statusChangesByRestRiskControlAndShopLevelAreHistoryToo() throws Exception {
        long shop = HistoryFixtures.newShopId();
        List<Long> items = published(SampleListings.OPV, shop, 3);
        long a = items.get(0), b = items.get(1), c = items.get(2);

        given().header("Authorization", Tokens.bearer("operator", 42)).header("X-Forwarded-For", "203.0.113.9")
                .header("User-Agent", "HistoryTest/1").contentType("application/json")
                .body(Map.of("itemIds", List.of(a), "targetStatus", "offline", "reason", "broken photos"))
                .post("/items/status").then().statusCode(200);
        Map<String, Object> ra = h.last(a);
        assertEquals("STATUS", ra.get("change_type"));
        assertEquals(42L, ((Number) ra.get("operator_id")).longValue());
        assertEquals("203.0.113.9", ra.get("ip_address"));
        assertEquals("HistoryTest/1", ra.get("device_info"));
        assertEquals("broken photos", ra.get("change_reason"));

        ItemResults risk = HistoryFixtures.as(88, Roles.RISK_CONTROL, null, null, null, () -> catalog.changeStatus(
                ChangeStatusRequest.newBuilder().addItemIds(b).setTargetStatus("risk_control").setOperatorType("risk_control")
                        .setOperatorId(88).setReason("fraud signal").build()));
        assertEquals(1, risk.getSucceeded(), risk.toString());
        assertEquals("risk_control", h.last(b).get("operator_role"));
        assertTrue(((String) h.last(b).get("new_value")).contains("risk_control"));

        String requestId = UUID.randomUUID().toString();
        catalog.changeShopStatus(ChangeShopStatusRequest.newBuilder().setShopId(shop).setTargetStatus("offline")
                .setOperatorType("operator").setOperatorId(5).setReason("shop closed").setRequestId(requestId).build());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!shops.progress(requestId).map(p -> "done".equals(p.status())).orElse(false)) {
            assertTrue(System.currentTimeMillis() < deadline, "the shop request did not finish");
            Thread.sleep(100);
        }
        Map<String, Object> rc = h.last(c);
        assertEquals("STATUS", rc.get("change_type"));
        assertEquals(5L, ((Number) rc.get("operator_id")).longValue(), "the shop request's operator: " + rc);
        assertEquals(requestId, rc.get("request_id"));
        assertEquals(2, h.rows(a).size(), "already offline: the shop request changed nothing, no row");
        assertEquals(2, h.rows(b).size(), "risk control is kept by a shop request");
        assertEquals(2, h.rows(c).size());
    }

    @Test
    void concurrentBatchSupplierAndSingleEditsGiveGaplessVersionsWithTheRightOperatorEach() throws Exception {
        long shop = HistoryFixtures.newShopId();
        long item = published(SampleListings.OPV, shop, 1).get(0);
        int each = 8;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    int row = i;
                    HistoryFixtures.as(1, Roles.OPERATOR, null, null, null, () -> catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                            .setBatchId(4242).addChanges(addCents(row, item, 1)).build()));
                }
                return null;
            }));
            work.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    HistoryFixtures.as(2, Roles.SUPPLIER, null, null, null, () -> catalog.adjustInventory(AdjustInventoryRequest.newBuilder()
                            .setSupplierId("acme").addChanges(addStock(0, item, 1)).build()));
                }
                return null;
            }));
            work.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    String title = "Wash " + i;
                    HistoryFixtures.as(3, Roles.OPERATOR, null, null, null, () -> catalog.editItems(EditItemsRequest.newBuilder()
                            .addEdits(ItemEdit.newBuilder().setItemId(item).setTitle(title)).build()));
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<Map<String, Object>> rows = h.rows(item);
        assertEquals(1 + 3 * each, rows.size(), rows.toString());
        gapless(rows);
        Map<String, Long> operatorOf = Map.of("PRICE", 1L, "STOCK", 2L, "DESC", 3L);
        for (Map<String, Object> r : rows.subList(1, rows.size())) {
            assertEquals(operatorOf.get((String) r.get("change_type")), ((Number) r.get("operator_id")).longValue(), r.toString());
        }
        assertEquals(3L * each + 1, h.one("SELECT history_version FROM item WHERE item_id = " + item));
    }

    @Test
    void dryRunsAndRefusedRowsLeaveNoHistory() {
        long shop = HistoryFixtures.newShopId();
        long item = published(SampleListings.OPV, shop, 1).get(0);
        catalog.adjustPrices(AdjustPricesRequest.newBuilder().setDryRun(true).addChanges(addCents(0, item, 100)).build());
        ItemResults refused = catalog.adjustPrices(AdjustPricesRequest.newBuilder()
                .addChanges(PriceChange.newBuilder().setItemId(item).setMode("set").setValue(-5)).build());
        assertEquals(1, refused.getFailed());
        assertEquals(1, h.rows(item).size());
        assertNull(h.rows(item).get(0).get("batch_id"));
        assertNotNull(h.rows(item).get(0).get("task_id"));
    }
}
