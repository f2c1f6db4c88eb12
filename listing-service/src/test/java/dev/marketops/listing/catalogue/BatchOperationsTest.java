package dev.marketops.listing.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommands;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemEdit;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.RejectedCode;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.catalog.VoucherCode;
import dev.marketops.proto.catalog.VoucherCodeChunk;
import dev.marketops.proto.catalog.VoucherImportReply;
import dev.marketops.proto.events.InventoryChangedEvent;
import dev.marketops.proto.events.PriceChangedEvent;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class BatchOperationsTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @GrpcClient("catalog-self")
    CatalogCommands streaming;

    CatalogueFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    /** Items of one shop, one per category, keyed by category. */
    private Map<Long, ItemSnapshot> published(long... categories) {
        long shop = CatalogueFixtures.newShopId();
        List<Map<String, Object>> l = new ArrayList<>();
        for (long c : categories) {
            l.add(CatalogueFixtures.listing(c, shop, null));
        }
        List<Long> items = fx.publish(fx.approved(l, null));
        Map<Long, ItemSnapshot> out = new java.util.HashMap<>();
        catalog.getItems(ItemRefs.newBuilder().addAllItemIds(items).build()).getItemsList().forEach(i -> out.put(i.getCategoryId(), i));
        return out;
    }

    private ItemSnapshot reread(ItemSnapshot s) {
        return catalog.getItems(ItemRefs.newBuilder().addItemIds(s.getItemId()).build()).getItems(0);
    }

    private <T> T lastEvent(String topic, long item, com.google.protobuf.Parser<T> parser) throws Exception {
        try (Connection c = ds.getConnection(); var ps = c.prepareStatement(
                "SELECT payload FROM outbox_event WHERE topic = ? AND msg_key = ? ORDER BY created_at DESC, event_id LIMIT 1")) {
            ps.setString(1, topic);
            ps.setString(2, Long.toString(item));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? parser.parseFrom(rs.getBytes(1)) : null;
            }
        }
    }

    private static PriceChange.Builder price(int row, ItemSnapshot item, String mode, long value) {
        return PriceChange.newBuilder().setIndex(row).setItemId(item.getItemId()).setMode(mode).setValue(value);
    }

    @Test
    void pricesAreSetAddedOrScaledWithinTheGuards() throws Exception {
        Map<Long, ItemSnapshot> items = published(SampleListings.DEAL, SampleListings.OPV, SampleListings.HOTEL);
        ItemSnapshot deal = items.get(SampleListings.DEAL), opv = items.get(SampleListings.OPV), hotel = items.get(SampleListings.HOTEL);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

        ItemResults r = catalog.adjustPrices(AdjustPricesRequest.newBuilder().setMaxChangeBp(1000).setBatchId(77).setReason("promo")
                .addChanges(price(10, deal, "set", 9000))
                .addChanges(price(11, opv, "add", -10_000))
                .addChanges(price(12, deal, "set", 12_000))
                .addChanges(price(13, opv, "percent", 5000))
                .addChanges(price(14, opv, "set", 3900).setHasExpected(true).setExpectedCents(1))
                .addChanges(price(15, hotel, "set", 38_000).setPriceDate(tomorrow))
                .addChanges(PriceChange.newBuilder().setIndex(16).setItemId(-3).setMode("set").setValue(1))
                .build());
        assertTrue(r.getResults(0).getOk(), r.toString());
        assertEquals(10, r.getResults(0).getIndex(), "the caller's row");
        assertTrue(r.getResults(0).getBeforeJson().contains("\"cents\":8800"), r.getResults(0).getBeforeJson());
        assertTrue(r.getResults(0).getAfterJson().contains("\"cents\":9000"));
        assertEquals("PRICE_NOT_POSITIVE", r.getResults(1).getErrorCode());
        assertEquals("SALE_ABOVE_FACE", r.getResults(2).getErrorCode());
        assertEquals("CHANGE_TOO_LARGE", r.getResults(3).getErrorCode());
        assertEquals("CONFLICT", r.getResults(4).getErrorCode());
        assertTrue(r.getResults(5).getOk(), r.getResults(5).toString());
        assertEquals("NOT_FOUND", r.getResults(6).getErrorCode());
        assertEquals(2, r.getSucceeded());

        assertEquals(9000, reread(deal).getSkus(0).getSalePriceCents());
        assertEquals(deal.getVersion() + 1, reread(deal).getVersion());
        assertEquals(3990, reread(opv).getSkus(0).getSalePriceCents());
        assertEquals(opv.getVersion(), reread(opv).getVersion());
        ItemSnapshot h = reread(hotel);
        assertEquals(38_000, h.getSkus(0).getCalendar(0).getPriceCents());
        assertEquals(38_000, h.getSkus(0).getSalePriceCents(), "the lowest upcoming night");
        PriceChangedEvent e = lastEvent("price.changed", deal.getItemId(), PriceChangedEvent.parser());
        assertEquals(77, e.getBatchId());
        assertEquals(8800, e.getSkus(0).getOldSalePriceCents());
        assertEquals(9000, e.getSkus(0).getNewSalePriceCents());
        assertEquals(deal.getVersion() + 1, e.getItemVersion());
        PriceChangedEvent he = lastEvent("price.changed", hotel.getItemId(), PriceChangedEvent.parser());
        assertTrue(he.getSkusList().stream().anyMatch(s -> s.getPriceDate().equals(tomorrow) && s.getNewSalePriceCents() == 38_000));

        // confirmed, the large change goes through; a dry run answers the same and keeps nothing
        AdjustPricesRequest big = AdjustPricesRequest.newBuilder().setMaxChangeBp(1000).setConfirmed(true)
                .addChanges(price(1, opv, "percent", 5000)).setDryRun(true).build();
        ItemResults dry = catalog.adjustPrices(big);
        assertTrue(dry.getResults(0).getAfterJson().contains("\"cents\":5985"), dry.toString());
        assertEquals(3990, reread(opv).getSkus(0).getSalePriceCents());
        assertTrue(catalog.adjustPrices(big.toBuilder().setDryRun(false).build()).getResults(0).getOk());
        assertEquals(5985, reread(opv).getSkus(0).getSalePriceCents());
        // undo: the expected value guards against a change made since
        assertTrue(catalog.adjustPrices(AdjustPricesRequest.newBuilder().addChanges(price(1, opv, "set", 3990)
                .setHasExpected(true).setExpectedCents(5985)).build()).getResults(0).getOk());
    }

    @Test
    void stockFollowsTheInventoryModel() throws Exception {
        Map<Long, ItemSnapshot> items = published(SampleListings.OPV, SampleListings.HOTEL, SampleListings.MOVIE, SampleListings.TOPUP,
                SampleListings.GIFTCARD);
        ItemSnapshot opv = items.get(SampleListings.OPV), hotel = items.get(SampleListings.HOTEL), movie = items.get(SampleListings.MOVIE);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        ItemResults r = catalog.adjustInventory(AdjustInventoryRequest.newBuilder().setBatchId(5)
                .addChanges(StockChange.newBuilder().setIndex(1).setItemId(opv.getItemId()).setMode("set").setQuantity(50))
                .addChanges(StockChange.newBuilder().setIndex(2).setItemId(opv.getItemId()).setMode("subtract").setQuantity(60))
                .addChanges(StockChange.newBuilder().setIndex(3).setItemId(opv.getItemId()).setMode("add").setQuantity(5))
                .addChanges(StockChange.newBuilder().setIndex(4).setItemId(hotel.getItemId()).setMode("set").setQuantity(5).setStockDate(tomorrow))
                .addChanges(StockChange.newBuilder().setIndex(5).setItemId(hotel.getItemId()).setMode("set").setQuantity(5))
                .addChanges(StockChange.newBuilder().setIndex(6).setItemId(movie.getItemId()).setMode("add").setQuantity(3))
                .addChanges(StockChange.newBuilder().setIndex(7).setItemId(items.get(SampleListings.TOPUP).getItemId()).setQuantity(3))
                .addChanges(StockChange.newBuilder().setIndex(8).setItemId(opv.getItemId()).setQuantity(1).setHasExpected(true).setExpected(9))
                .build());
        assertTrue(r.getResults(0).getOk());
        assertEquals("STOCK_NEGATIVE", r.getResults(1).getErrorCode());
        assertTrue(r.getResults(2).getOk());
        assertTrue(r.getResults(2).getBeforeJson().contains("\"stock\":50"));
        assertTrue(r.getResults(3).getOk());
        assertEquals("INVALID_FIELD", r.getResults(4).getErrorCode());
        assertEquals("stock_date", r.getResults(4).getErrorField());
        assertTrue(r.getResults(5).getOk(), "a movie's only session needs no date");
        assertEquals("INVALID_FIELD", r.getResults(6).getErrorCode(), "unlimited stock is not counted");
        assertEquals("CONFLICT", r.getResults(7).getErrorCode());

        assertEquals(55, reread(opv).getSkus(0).getStock());
        assertEquals(opv.getVersion() + 1, reread(opv).getVersion(), "one version per item and chunk");
        ItemSnapshot h = reread(hotel);
        assertEquals(5, h.getSkus(0).getCalendar(0).getStock());
        assertEquals(6, h.getSkus(0).getStock(), "the sum of the nights");
        assertEquals(5, reread(movie).getSkus(0).getStock());
        InventoryChangedEvent e = lastEvent("inventory.changed", opv.getItemId(), InventoryChangedEvent.parser());
        assertEquals(100, e.getSkus(0).getOldStock());
        assertEquals(55, e.getSkus(0).getNewStock());
        assertEquals(5, e.getBatchId());

        ItemResults dry = catalog.adjustInventory(AdjustInventoryRequest.newBuilder().setDryRun(true)
                .addChanges(StockChange.newBuilder().setItemId(opv.getItemId()).setMode("set").setQuantity(1)).build());
        assertTrue(dry.getResults(0).getOk());
        assertEquals(55, reread(opv).getSkus(0).getStock());
    }

    @Test
    void editsAreValidatedWithTheCategoryRules() {
        Map<Long, ItemSnapshot> items = published(SampleListings.HOTEL);
        ItemSnapshot hotel = items.get(SampleListings.HOTEL);
        ItemResults r = catalog.editItems(EditItemsRequest.newBuilder()
                .addEdits(ItemEdit.newBuilder().setIndex(1).setItemId(hotel.getItemId()).setTitle("Sea view")
                        .setAttributesJson("{\"bed_type\":\"twin\",\"breakfast_type\":\"double\"}"))
                .addEdits(ItemEdit.newBuilder().setIndex(2).setItemId(hotel.getItemId()).setAttributesJson("{\"bed_type\":\"bunk\"}"))
                .addEdits(ItemEdit.newBuilder().setIndex(3).setItemId(hotel.getItemId()).setAttributesJson("{\"price_calendar\":[]}"))
                .addEdits(ItemEdit.newBuilder().setIndex(4).setItemId(hotel.getItemId()).setAttributesJson("{\"Bad Key\":1}"))
                .addEdits(ItemEdit.newBuilder().setIndex(5).setItemId(hotel.getItemId()).setAttributesJson("{\"bed_type\":\"king\"}")
                        .setHasExpected(true).setExpectedJson("{\"bed_type\":\"king\"}"))
                .addEdits(ItemEdit.newBuilder().setIndex(6).setItemId(hotel.getItemId()).setAttributesJson("{\"guest_capacity\":3}")
                        .setHasExpected(true).setExpectedJson("{\"bed_type\":\"twin\"}"))
                .build());
        assertTrue(r.getResults(0).getOk(), r.toString());
        assertTrue(r.getResults(0).getBeforeJson().contains("\"bed_type\":\"king\""), r.getResults(0).getBeforeJson());
        assertTrue(r.getResults(0).getAfterJson().contains("\"title\":\"Sea view\""));
        assertEquals("VALIDATION_FAILED", r.getResults(1).getErrorCode());
        assertEquals("bed_type", r.getResults(1).getErrorField());
        assertEquals("INVALID_FIELD", r.getResults(2).getErrorCode());
        assertEquals("REFUSED_ATTRIBUTE", r.getResults(3).getErrorCode());
        assertEquals("CONFLICT", r.getResults(4).getErrorCode(), "bed_type is twin since row 1");
        assertTrue(r.getResults(5).getOk());
        ItemSnapshot after = reread(hotel);
        assertEquals("Sea view", after.getTitle());
        assertTrue(after.getAttributesJson().contains("\"bed_type\":\"twin\"") && after.getAttributesJson().contains("\"guest_capacity\":3"),
                after.getAttributesJson());
        assertEquals(hotel.getVersion() + 1, after.getVersion());

        ItemResults dry = catalog.editItems(EditItemsRequest.newBuilder().setDryRun(true)
                .addEdits(ItemEdit.newBuilder().setItemId(hotel.getItemId()).setTitle("Dry")).build());
        assertTrue(dry.getResults(0).getOk());
        assertEquals("Sea view", reread(hotel).getTitle());
    }

    private VoucherImportReply importCodes(ItemSnapshot item, boolean dryRun, List<List<VoucherCode>> chunks) {
        return importCodes(item, dryRun, chunks, 31);
    }

    private VoucherImportReply importCodes(ItemSnapshot item, boolean dryRun, List<List<VoucherCode>> chunks, long batchId) {
        List<VoucherCodeChunk> messages = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            VoucherCodeChunk.Builder b = VoucherCodeChunk.newBuilder().addAllCodes(chunks.get(i));
            if (i == 0) {
                b.setItemId(item.getItemId()).setBatchId(batchId).setDryRun(dryRun);
            }
            messages.add(b.build());
        }
        return streaming.importVoucherCodes(Multi.createFrom().iterable(messages)).await().atMost(Duration.ofMinutes(3));
    }

    private static VoucherCode code(int row, String code) {
        return VoucherCode.newBuilder().setRow(row).setCode(code).build();
    }

    @Test
    void voucherCodesAreImportedOnceWithDuplicatesReported() throws Exception {
        long shop = CatalogueFixtures.newShopId();
        Map<String, Object> data = SampleListings.itemData(SampleListings.DEAL);
        data.put("codes", List.of("POOL-1"));
        long itemId = fx.publish(fx.approved(List.of(CatalogueFixtures.listing(SampleListings.DEAL, shop, data)), null)).get(0);
        ItemSnapshot deal = catalog.getItems(ItemRefs.newBuilder().addItemIds(itemId).build()).getItems(0);
        List<List<VoucherCode>> chunks = List.of(
                List.of(code(2, "A-1"), code(3, "A-2"), code(4, "A-1"), code(5, " "),
                        VoucherCode.newBuilder().setRow(6).setCode("A-3").setExpiresOn("2027-12-31").build()),
                List.of(code(7, "POOL-1"), code(8, "A-2"), code(9, "A-4")));

        VoucherImportReply dry = importCodes(deal, true, chunks);
        assertEquals(8, dry.getReceived());
        assertEquals(4, dry.getImported());
        assertEquals(5, dry.getPoolSize());
        assertEquals(1, reread(deal).getSkus(0).getStock());

        VoucherImportReply r = importCodes(deal, false, chunks);
        assertEquals(4, r.getImported());
        assertEquals(4, r.getRejectedTotal());
        assertEquals(5, r.getPoolSize());
        List<String> reasons = r.getRejectedList().stream().map(x -> x.getRow() + ":" + x.getErrorCode()).toList();
        assertEquals(List.of("4:DUPLICATE_IN_FILE", "5:INVALID_FORMAT", "7:DUPLICATE_IN_POOL", "8:DUPLICATE_IN_FILE"), reasons);
        assertEquals(5, reread(deal).getSkus(0).getStock());
        assertEquals(1, fx.count("SELECT count(*) FROM voucher_code WHERE code = 'A-3' AND expires_on = '2027-12-31' AND batch_id = 31 AND sku_id = " + deal.getSkus(0).getSkuId()));
        InventoryChangedEvent e = lastEvent("inventory.changed", itemId, InventoryChangedEvent.parser());
        assertEquals(1, e.getSkus(0).getOldStock());
        assertEquals(5, e.getSkus(0).getNewStock());

        // the same batch again (a chunk replayed after a crash): its own codes are not duplicates,
        // nothing is stored twice, and a code from elsewhere is still reported
        VoucherImportReply replay = importCodes(deal, false, chunks);
        assertEquals(0, replay.getImported());
        assertEquals(List.of("4:DUPLICATE_IN_FILE", "5:INVALID_FORMAT", "7:DUPLICATE_IN_POOL", "8:DUPLICATE_IN_FILE"),
                replay.getRejectedList().stream().map(x -> x.getRow() + ":" + x.getErrorCode()).toList());
        assertEquals(5, reread(deal).getSkus(0).getStock());

        // another batch with the same codes: every one already in the pool is reported
        VoucherImportReply again = importCodes(deal, false, chunks, 32);
        assertEquals(0, again.getImported());
        assertTrue(again.getRejectedList().stream().map(RejectedCode::getErrorCode).filter("DUPLICATE_IN_POOL"::equals).count() >= 4);
        assertEquals(0, fx.count("SELECT count(*) FROM voucher_import_staging WHERE code IN ('A-1', 'A-4')"));

        ItemSnapshot topup = published(SampleListings.TOPUP).get(SampleListings.TOPUP);
        assertEquals("NOT_CODE_POOL", importCodes(topup, false, chunks).getErrorCode());
    }

    /** A million codes in chunks of 10,000 (run with -Dvoucher.million=true; figures in the report). */
    @Test
    @EnabledIfSystemProperty(named = "voucher.million", matches = "true")
    void aMillionCodes() {
        long shop = CatalogueFixtures.newShopId();
        long itemId = fx.publish(fx.approved(SampleListings.DEAL, shop, 1)).get(0);
        ItemSnapshot deal = catalog.getItems(ItemRefs.newBuilder().addItemIds(itemId).build()).getItems(0);
        List<List<VoucherCode>> chunks = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            List<VoucherCode> chunk = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                int row = c * 10_000 + i + 2;
                chunk.add(code(row, "M" + shop % 100_000 + "-" + row));
            }
            chunks.add(chunk);
        }
        long started = System.nanoTime();
        VoucherImportReply r = importCodes(deal, false, chunks);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("1,000,000 voucher codes imported in " + millis + " ms");
        assertEquals(1_000_000, r.getImported());
        assertTrue(millis < 60_000, millis + " ms");
    }
}
