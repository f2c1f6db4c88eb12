package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches against the real catalogue (listing-service as a process), through REST with real files. */
@QuarkusTest
@QuarkusTestResource(value = CatalogueFleet.class, restrictToAnnotatedClass = true)
class CatalogueBatchTest {

    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset")
    String listingUrl;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);
    CatalogueItems items;

    @BeforeEach
    void fixtures() {
        items = new CatalogueItems(listingUrl, listing, catalog);
    }

    JsonPath upload(String name, byte[] file, String type, String params, boolean dryRun) {
        var req = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", name, file)
                .multiPart("operationType", type).multiPart("dryRun", String.valueOf(dryRun));
        if (params != null) {
            req.multiPart("params", params);
        }
        return req.post("/batches").then().statusCode(201).extract().jsonPath();
    }

    JsonPath awaitFinished(long id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonPath b = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (List.of("completed", "partial_success", "failed", "cancelled").contains(b.getString("status"))) {
                return b;
            }
            assertTrue(System.currentTimeMillis() < deadline, "batch " + id + " still " + b.getString("status"));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    JsonPath itemsOf(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("size", 200)
                .get("/batches/" + id + "/items").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void goodsGoOfflineByIdsWithBeforeAndAfterAndTheUndoPutsThemBack() {
        // given three online items and a sheet taking two offline, with one unknown id
        List<Long> ids = items.online(SampleListings.TOPUP, 3);
        byte[] sheet = Sheets.xlsx(new Object[]{"item_id", "target_status", "reason"},
                new Object[]{ids.get(0), "offline", "season over"},
                new Object[]{ids.get(1), "offline", "season over"},
                new Object[]{999_999_999_999L, "offline", "typo"});

        // when a dry run is uploaded, then it reports what would change and changes nothing
        long dry = upload("status.xlsx", sheet, "status_change", null, true).getLong("batch.batchId");
        assertEquals("partial_success", awaitFinished(dry).getString("status"));
        assertEquals("online", items.read(ids).get(ids.get(0)).getStatus());

        // when it is run for real (same file again: forced), then the two go offline and the unknown id fails
        long id = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", "status.xlsx", sheet)
                .multiPart("operationType", "status_change").multiPart("force", "true").post("/batches").then()
                .statusCode(201).extract().jsonPath().getLong("batch.batchId");
        JsonPath done = awaitFinished(id);
        assertEquals("partial_success", done.getString("status"));
        assertEquals(2, done.getInt("successCount"));
        assertEquals(1, done.getInt("failedCount"));
        assertEquals("offline", items.read(ids).get(ids.get(0)).getStatus());
        assertEquals("online", items.read(ids).get(ids.get(2)).getStatus());
        JsonPath rows = itemsOf(id);
        assertEquals("online", rows.getString("items[0].before.status"));
        assertEquals("offline", rows.getString("items[0].after.status"));
        assertEquals("NOT_FOUND", rows.getString("items[2].errorCode"));

        // when the batch is undone, then a new batch puts both back online
        long undo = given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        JsonPath undone = awaitFinished(undo);
        assertEquals("completed", undone.getString("status"), undone.prettify());
        assertEquals(id, undone.getLong("undoOf"));
        assertEquals("online", items.read(ids).get(ids.get(0)).getStatus());
        assertEquals("online", items.read(ids).get(ids.get(1)).getStatus());
    }

    @Test
    void pricesChangeOncePerRowAndTheUndoReportsConflicts() {
        Assumptions.assumeTrue(implemented(), "listing-service does not implement AdjustPrices yet");
        List<Long> ids = items.online(SampleListings.TOPUP, 2);
        long before = items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents();
        byte[] csv = Sheets.csv("item_id,mode,value", ids.get(0) + ",add,0.3", ids.get(1) + ",add,-0.5");
        // (a top-up of 49.50 with face value 50: +0.3 fits, more would be SALE_ABOVE_FACE)
        long id = upload("p.csv", csv, "price_adjust", null, false).getLong("batch.batchId");
        JsonPath done = awaitFinished(id);
        assertEquals("completed", done.getString("status"), itemsOf(id).prettify());
        assertEquals(before + 30, items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents());
        byte[] result = given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id + "/result.xlsx")
                .then().statusCode(200).extract().asByteArray();
        assertNotNull(result);

        // someone changes the second item's price since; the undo puts the first back and reports the second
        catalog.adjustPrices(AdjustPricesRequest.newBuilder().addChanges(dev.marketops.proto.catalog.PriceChange.newBuilder()
                .setItemId(ids.get(1)).setMode("add").setValue(7)).setConfirmed(true).build());
        long undo = given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        JsonPath undone = awaitFinished(undo);
        assertEquals("partial_success", undone.getString("status"));
        assertEquals(before, items.read(ids).get(ids.get(0)).getSkus(0).getSalePriceCents());
        List<String> codes = new ArrayList<>(itemsOf(undo).getList("items.errorCode"));
        assertTrue(codes.contains("CONFLICT"), codes.toString());
    }

    @Test
    void stockTitlesTagsAndVoucherCodesChangeThroughTheirBatches() {
        // given two service vouchers (stock by quantity) and a deal (stock = its voucher code pool)
        List<Long> opv = items.online(SampleListings.OPV, 2);
        long deal = items.online(SampleListings.DEAL, 1).get(0);
        long stockBefore = items.read(opv).get(opv.get(1)).getSkus(0).getStock();

        // stock: set one, add to the other; the deal's stock is its codes, so setting it is refused for that row
        long stock = upload("stock.csv", Sheets.csv("item_id,mode,quantity", opv.get(0) + ",set,7", opv.get(1) + ",add,5",
                deal + ",set,3"), "inventory_update", null, false).getLong("batch.batchId");
        JsonPath stocked = awaitFinished(stock);
        assertEquals("partial_success", stocked.getString("status"), itemsOf(stock).prettify());
        assertEquals(2, stocked.getInt("successCount"));
        assertEquals(7, items.read(opv).get(opv.get(0)).getSkus(0).getStock());
        assertEquals(stockBefore + 5, items.read(opv).get(opv.get(1)).getSkus(0).getStock());
        JsonPath stockRows = itemsOf(stock);
        assertEquals(4, stockRows.getInt("items[2].rowNo"));
        assertEquals("failed", stockRows.getString("items[2].status"));
        assertTrue(!stockRows.getString("items[2].errorCode").isEmpty(), stockRows.prettify());

        // title edit and tags, one row per item
        long edit = upload("edit.csv", Sheets.csv("item_id,title", opv.get(0) + ",Car wash deluxe"), "item_edit", null, false)
                .getLong("batch.batchId");
        assertEquals("completed", awaitFinished(edit).getString("status"), itemsOf(edit).prettify());
        assertEquals("Car wash deluxe", items.read(opv).get(opv.get(0)).getTitle());
        long tags = upload("tags.csv", Sheets.csv("item_id,tags", opv.get(0) + ",\"summer,weekend\"", opv.get(1) + ",summer"),
                "tag_batch_add", null, false).getLong("batch.batchId");
        assertEquals("completed", awaitFinished(tags).getString("status"), itemsOf(tags).prettify());
        assertTrue(items.read(opv).get(opv.get(0)).getTagsList().containsAll(List.of("summer", "weekend")));
        assertTrue(items.read(opv).get(opv.get(1)).getTagsList().contains("summer"));

        // voucher codes into the deal's pool: a code repeated in the file is reported at upload, not imported twice
        String salt = Long.toString(operator, 36).toUpperCase();
        JsonPath codes = upload("codes.csv", Sheets.csv("code", "V" + salt + "-1", "V" + salt + "-2", "V" + salt + "-1"),
                "voucher_code_import", "{\"itemId\": " + deal + "}", false);
        assertEquals(1, codes.getInt("invalidRows"));
        assertEquals("DUPLICATE_IN_FILE", codes.getString("errors[0].code"));
        assertEquals(4, codes.getInt("errors[0].row"));
        JsonPath imported = awaitFinished(codes.getLong("batch.batchId"));
        assertEquals(2, imported.getInt("successCount"));
        assertEquals(2, items.read(List.of(deal)).get(deal).getSkus(0).getStock());
    }

    private boolean implemented() {
        try {
            catalog.adjustPrices(AdjustPricesRequest.newBuilder().setDryRun(true).build());
            return true;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNIMPLEMENTED;
        }
    }
}
