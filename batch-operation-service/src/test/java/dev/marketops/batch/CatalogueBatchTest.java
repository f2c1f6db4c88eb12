package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalogStub;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listingStub;
    // the injected stubs carry the configured deadline as an instant fixed at injection (a slow
    // start-up on a loaded machine used it up): each test takes stubs with a deadline of its own
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset")
    String listingUrl;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset")
    String configUrl;

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);
    CatalogueItems items;

    @BeforeEach
    void fixtures() {
        catalog = catalogStub.withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS);
        listing = listingStub.withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS);
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
        // ids as text cells, as the template's Text columns keep them (a number cell would round a snowflake id)
        byte[] sheet = Sheets.xlsx(new Object[]{"item_id", "target_status", "reason"},
                new Object[]{String.valueOf(ids.get(0)), "offline", "season over"},
                new Object[]{String.valueOf(ids.get(1)), "offline", "season over"},
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
    void pricesChangeOncePerRowAndTheUndoReportsConflicts() throws Exception {
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
        // the result file lists both rows as succeeded, each with its item and the price before and after
        List<List<String>> rows = BatchUploadTest.read(result);
        assertEquals(List.of("row", "target_type", "target_id", "status", "before", "after", "error_code", "error_field",
                "error"), rows.get(0).subList(0, 9));
        assertEquals(3, rows.size(), rows.toString());
        for (int r = 1; r <= 2; r++) {
            assertEquals(String.valueOf(r + 1), rows.get(r).get(0), rows.get(r).toString());
            assertEquals(String.valueOf(ids.get(r - 1)), rows.get(r).get(2), rows.get(r).toString());
            assertEquals("succeeded", rows.get(r).get(3), rows.get(r).toString());
            assertTrue(!rows.get(r).get(4).isEmpty() && !rows.get(r).get(5).isEmpty(), "before and after: " + rows.get(r));
        }
        assertTrue(rows.get(1).get(5).contains(String.valueOf(before + 30)), "the new price in cents: " + rows.get(1));

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
    void stockTitlesAndVoucherCodesChangeThroughTheirBatches() {
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

        // title edit, one row per item
        long edit = upload("edit.csv", Sheets.csv("item_id,title", opv.get(0) + ",Car wash deluxe"), "item_edit", null, false)
                .getLong("batch.batchId");
        assertEquals("completed", awaitFinished(edit).getString("status"), itemsOf(edit).prettify());
        assertEquals("Car wash deluxe", items.read(opv).get(opv.get(0)).getTitle());

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

    /** A tag of config-service's tag table with a code of this run's own. */
    private String tag(String name, boolean active) {
        String code = name + "-" + Long.toString(operator, 36);
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).contentType("application/json")
                .body(java.util.Map.of("code", code, "name", code, "type", "seasonal", "priority", 20)).post("/tags")
                .then().statusCode(201);
        if (!active) {
            given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).delete("/tags/" + code).then().statusCode(200);
        }
        return code;
    }

    @Test
    void tagsAreAddedAndRemovedByBatchAndARowWithABadTagFailsNamingItsField() {
        // given four items, two active tags of the tag table and one deactivated after the fourth item got it
        List<Long> opv = items.online(SampleListings.OPV, 4);
        String summer = tag("summer", true), weekend = tag("weekend", true), retired = tag("retired", true);
        long add = upload("tags.csv", Sheets.csv("item_id,tags", opv.get(0) + ",\"" + summer + "," + weekend + "\"",
                opv.get(1) + "," + summer, opv.get(3) + "," + retired), "tag_batch_add", null, false).getLong("batch.batchId");
        assertEquals("completed", awaitFinished(add).getString("status"), itemsOf(add).prettify());
        assertEquals(List.of(summer, weekend), items.read(opv).get(opv.get(0)).getTagsList());
        assertEquals(List.of(summer), items.read(opv).get(opv.get(1)).getTagsList());
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).delete("/tags/" + retired).then().statusCode(200);

        // when a removal sheet names a code the tag table lacks (row 4) and the retired one (row 5), as a dry run
        byte[] sheet = Sheets.csv("item_id,tags", opv.get(0) + "," + weekend, opv.get(1) + "," + summer,
                opv.get(2) + ",nowhere-" + Long.toString(operator, 36), opv.get(3) + "," + retired);
        long dry = upload("untag.csv", sheet, "tag_batch_remove", null, true).getLong("batch.batchId");
        assertEquals("partial_success", awaitFinished(dry).getString("status"), itemsOf(dry).prettify());
        JsonPath dryRows = itemsOf(dry);
        assertEquals(List.of(summer), dryRows.getList("items[0].after.tags"));
        // then nothing changed
        assertEquals(List.of(summer, weekend), items.read(opv).get(opv.get(0)).getTagsList());

        // when it runs for real (the same file again: forced)
        long id = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("file", "untag.csv", sheet)
                .multiPart("operationType", "tag_batch_remove").multiPart("force", "true").post("/batches").then()
                .statusCode(201).extract().jsonPath().getLong("batch.batchId");
        JsonPath done = awaitFinished(id);

        // then the good rows took their tags off (a retired tag too), and the unknown code failed with a stable code naming the field
        assertEquals("partial_success", done.getString("status"), itemsOf(id).prettify());
        assertEquals(3, done.getInt("successCount"));
        assertEquals(1, done.getInt("failedCount"));
        assertEquals(List.of(summer), items.read(opv).get(opv.get(0)).getTagsList());
        assertEquals(List.of(), items.read(opv).get(opv.get(1)).getTagsList());
        assertEquals(List.of(), items.read(opv).get(opv.get(3)).getTagsList());
        JsonPath rows = itemsOf(id);
        assertEquals(List.of(summer, weekend), rows.getList("items[0].before.tags"));
        assertEquals(List.of(summer), rows.getList("items[0].after.tags"));
        assertEquals(4, rows.getInt("items[2].rowNo"));
        assertEquals("UNKNOWN_TAG", rows.getString("items[2].errorCode"));
        assertEquals("tags", rows.getString("items[2].errorField"));
        assertEquals(5, rows.getInt("items[3].rowNo"));
        assertEquals("succeeded", rows.getString("items[3].status"), rows.prettify());
        assertEquals(List.of(retired), rows.getList("items[3].before.tags"));

        // and an inactive tag cannot be added: a row error naming the field
        String gone = tag("gone", false);
        long again = upload("retag.csv", Sheets.csv("item_id,tags", opv.get(3) + "," + gone), "tag_batch_add", null, false)
                .getLong("batch.batchId");
        assertEquals("failed", awaitFinished(again).getString("status"), itemsOf(again).prettify());
        assertEquals("TAG_INACTIVE", itemsOf(again).getString("items[0].errorCode"));
        assertEquals("tags", itemsOf(again).getString("items[0].errorField"));

        // like tag_batch_add, a tag removal is not undone as a batch
        given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/undo")
                .then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("NOT_UNDOABLE"));
    }

    @Test
    void aMerchantsBatchRunsAsThatMerchantAndTouchesOnlyItsOwnShopsGoods() {
        // given an item of the merchant's shop and one of another shop
        long shop = 5150;
        long own = items.online(SampleListings.TOPUP, 1, shop).get(0);
        long foreign = items.online(SampleListings.TOPUP, 1, 5151).get(0);
        String merchant = Tokens.merchantBearer(42, shop);
        byte[] sheet = Sheets.csv("item_id,target_status,reason", own + ",offline,sold out", foreign + ",offline,not mine");

        // when the merchant takes both offline in one batch
        JsonPath created = given().header("Authorization", merchant).multiPart("file", "mine.csv", sheet)
                .multiPart("operationType", "status_change").post("/batches").then().statusCode(201).extract().jsonPath();
        long id = created.getLong("batch.batchId");
        assertEquals("merchant", created.getString("batch.createdByType"));
        assertEquals(shop, created.getLong("batch.createdByMerchant"));
        JsonPath done = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            done = given().header("Authorization", merchant).get("/batches/" + id).then().statusCode(200).extract().jsonPath();
            if (List.of("completed", "partial_success", "failed").contains(done.getString("status"))) {
                break;
            }
            sleep(200);
        }

        // then the catalogue, seeing the merchant behind the chunk, changes its own item only
        assertEquals("partial_success", done.getString("status"), done.prettify());
        assertEquals("offline", items.read(List.of(own)).get(own).getStatus());
        assertEquals("online", items.read(List.of(foreign)).get(foreign).getStatus());
        JsonPath rows = given().header("Authorization", merchant).get("/batches/" + id + "/items").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("succeeded", rows.getString("items[0].status"));
        assertEquals("failed", rows.getString("items[1].status"));
        // and another merchant cannot even see the batch
        given().header("Authorization", Tokens.merchantBearer(42, 5151)).get("/batches/" + id).then().statusCode(404);
    }

    @Test
    void aBatchDefinedByAFilterShowsItsRowCountAndNeedsConfirmAboveTheLimit() {
        // the test profile confirms above 1 row (marketops.batch.confirm-above)
        items.online(SampleListings.TOPUP, 2);
        String params = "{\"categoryIds\": [" + SampleListings.TOPUP + "], \"shopId\": 5150, \"mode\": \"add\", \"value\": 0.01}";
        var refused = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("operationType", "price_adjust")
                .multiPart("params", params).multiPart("dryRun", "true").post("/batches").then().statusCode(409)
                .extract().jsonPath();
        assertEquals("CONFIRM_REQUIRED", refused.getString("code"));
        assertTrue(refused.getInt("rowCount") >= 2, refused.prettify());
        assertEquals(1, refused.getInt("confirmAbove"));
        // confirmed, the same filter becomes a batch of that many rows (a dry run: nothing changes)
        JsonPath ok = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("operationType", "price_adjust")
                .multiPart("params", params).multiPart("dryRun", "true").multiPart("confirm", "true").post("/batches").then()
                .statusCode(201).extract().jsonPath();
        assertTrue(ok.getInt("batch.totalCount") >= refused.getInt("rowCount"), ok.prettify());

        // a whole shop's status is one row standing for all the shop's goods: the count is of the goods
        String shopParams = "{\"shopId\": 5150, \"targetStatus\": \"offline\"}";
        var shopRefused = given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("operationType", "status_change")
                .multiPart("params", shopParams).multiPart("dryRun", "true").post("/batches").then().statusCode(409)
                .extract().jsonPath();
        assertEquals("CONFIRM_REQUIRED", shopRefused.getString("code"));
        assertTrue(shopRefused.getInt("rowCount") >= 2, shopRefused.prettify());
        given().header("Authorization", Tokens.bearer("operator", operator)).multiPart("operationType", "status_change")
                .multiPart("params", shopParams).multiPart("dryRun", "true").multiPart("confirm", "true").post("/batches").then()
                .statusCode(201);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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
