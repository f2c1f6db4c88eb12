package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue "batch framework", end to end through the gateway and the whole fleet: an operator
 * uploads a sheet of new listings of two categories with one bad row; the good rows become
 * listing tasks (ExcelParseWorker), are audited as a chunk (BatchAuditWorker), published as
 * a chunk (BatchPublishWorker) and the batch completes with the bad row reported by row,
 * column and code. Then a price batch on the new items, with its result file and an undo.
 */
class BatchUploadE2ETest {

    static final String OPERATOR = Logins.bearer("operator", 7101);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    @Test
    void aMixedCategoryUploadGoesOnlineAndAPriceBatchCanBeUndone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = "category_id,title,carrier,denomination,sale_price,face_value,valid_days\n"
                + "4100,Top-up 50 " + run + ",China Mobile,50,49.5,,\n"
                + "1200,Dinner voucher " + run + ",,,88,100,90\n"
                + "999999,Unknown category " + run + ",,,1,,\n"
                + "4100,Top-up 100 " + run + ",China Unicom,100,98,,\n";
        JsonPath upload = given().header("Authorization", OPERATOR)
                .multiPart("file", "listings-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("operationType", "listing_upload").multiPart("params", "{\"shopId\": 1001}")
                .post("/api/batch/batches").then().statusCode(201).extract().jsonPath();
        long batchId = upload.getLong("batch.batchId");
        assertEquals("listing_upload", upload.getString("batch.operationType"));

        // a listing sheet is parsed by ExcelParseWorker after the upload; then audited and published in chunks
        JsonPath done = awaitFinished(batchId);
        assertEquals("partial_success", done.getString("status"), done.prettify());
        assertEquals(3, done.getInt("successCount"), done.prettify());
        assertEquals(1, done.getInt("validationFailedCount"), done.prettify());
        assertEquals(100, done.getInt("progress"));
        JsonPath bad = given().header("Authorization", OPERATOR).queryParam("status", "validation_failed")
                .get("/api/batch/batches/" + batchId + "/items").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(4), bad.getList("items.rowNo"));
        assertEquals("category_id", bad.getString("items[0].errorField"));
        assertEquals("UNKNOWN_CATEGORY", bad.getString("items[0].errorCode"));

        // the three listings are ONLINE, each with its catalogue item
        JsonPath tasks = given().header("Authorization", OPERATOR).queryParam("batchId", batchId).queryParam("size", 10).get("/api/listing/listings")
                .then().statusCode(200).extract().jsonPath();
        List<String> statuses = tasks.getList("items.statusName");
        assertEquals(List.of("ONLINE", "ONLINE", "ONLINE"), statuses);
        assertTrue(tasks.getList("items.itemId", Long.class).stream().allMatch(id -> id != null && id > 0));

        byte[] result = given().header("Authorization", OPERATOR).get("/api/batch/batches/" + batchId + "/result.xlsx")
                .then().statusCode(200).extract().asByteArray();
        assertTrue(result.length > 0 && result[0] == 'P' && result[1] == 'K', "an .xlsx (zip) result file");

        // a price batch on the new top-ups: set the sale price, then undo it
        long topUp = tasks.getLong("items.find { it.title.startsWith('Top-up 50 ') }.itemId");
        Fleet.await("item " + topUp + " is readable", () -> given().header("Authorization", OPERATOR).get("/api/search/items/" + topUp).statusCode() == 200);
        String prices = "item_id,mode,value\n" + topUp + ",set,45\n";
        long priceBatch = given().header("Authorization", OPERATOR)
                .multiPart("file", "prices-" + run + ".csv", prices.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("operationType", "price_adjust").multiPart("params", "{\"confirm\": true}")
                .post("/api/batch/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");
        assertEquals("completed", awaitFinished(priceBatch).getString("status"));
        Fleet.await("the new price reaches the read projection", () ->
                given().header("Authorization", OPERATOR).get("/api/search/items/" + topUp).jsonPath().getLong("priceCents") == 4500);

        long undo = given().header("Authorization", OPERATOR).post("/api/batch/batches/" + priceBatch + "/undo")
                .then().statusCode(201).extract().jsonPath().getLong("batchId");
        assertEquals("completed", awaitFinished(undo).getString("status"));
        given().header("Authorization", OPERATOR).get("/api/batch/batches/" + undo + "/items")
                .then().statusCode(200).body("items.status", hasItem("succeeded"));
        Fleet.await("the undone price reaches the read projection", () ->
                given().header("Authorization", OPERATOR).get("/api/search/items/" + topUp).jsonPath().getLong("priceCents") == 4950);
        given().header("Authorization", OPERATOR).get("/api/search/items/" + topUp).then().body("status", equalTo("online"));
    }

    private static JsonPath awaitFinished(long batchId) {
        return Fleet.awaitBatchFinished(OPERATOR, batchId);
    }
}
