package dev.marketops.batch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;

/**
 * Uploads through REST with real files. This class runs without a catalogue peer (the
 * catalogue's port is closed), so rows that pass validation are tried, retried and fail as
 * UPSTREAM_UNAVAILABLE: the framework's retry and bookkeeping, without any catalogue logic.
 */
@QuarkusTest
class BatchUploadTest {

    final long operator = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40);

    ValidatableResponse upload(String name, byte[] content, String type, String params, String policy, boolean force) {
        var req = given().header("Authorization", Tokens.bearer("operator", operator))
                .multiPart("file", name, content).multiPart("operationType", type);
        if (params != null) {
            req.multiPart("params", params);
        }
        if (policy != null) {
            req.multiPart("errorPolicy", policy);
        }
        if (force) {
            req.multiPart("force", "true");
        }
        return req.post("/batches").then();
    }

    JsonPath batch(long id) {
        return given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id).then()
                .statusCode(200).extract().jsonPath();
    }

    JsonPath awaitFinished(long id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonPath b = batch(id);
            String s = b.getString("status");
            if (List.of("completed", "partial_success", "failed", "cancelled").contains(s)) {
                return b;
            }
            assertTrue(System.currentTimeMillis() < deadline, "batch " + id + " still " + s);
            Thread.onSpinWait();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void filesThatAreNotUsableSheetsAreRefusedWithStableCodes() {
        upload("empty.xlsx", new byte[0], "price_adjust", null, null, false)
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("EMPTY_FILE"));
        upload("renamed.xlsx", "item_id,value\n1,2\n".getBytes(StandardCharsets.UTF_8), "price_adjust", null, null, false)
                .statusCode(400).body("code", equalTo("NOT_AN_XLSX"));
        upload("prices.pdf", "%PDF-1.4".getBytes(StandardCharsets.UTF_8), "price_adjust", null, null, false)
                .statusCode(400).body("code", equalTo("UNSUPPORTED_FILE_TYPE"));
        upload("wrong.xlsx", Sheets.xlsx(new Object[]{"goods", "new price"}, new Object[]{1, 2}), "price_adjust", null, null, false)
                .statusCode(400).body("code", equalTo("BAD_HEADER")).body("missing", hasItems("item_id", "value"));
        upload("header-only.csv", Sheets.csv("item_id,value"), "price_adjust", null, null, false)
                .statusCode(400).body("code", equalTo("NO_DATA_ROWS"));
        upload("x.csv", Sheets.csv("item_id,value", "1,2"), "teleport", null, null, false)
                .statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("operationType"));
        given().multiPart("file", "x.csv", Sheets.csv("item_id,value", "1,2")).multiPart("operationType", "price_adjust")
                .post("/batches").then().statusCode(401);
    }

    @Test
    void everyBadRowIsReportedWithRowColumnAndReasonAndTheRejectedFileIsReadyToFix() throws Exception {
        // given a sheet with good rows, text in a numeric column, an empty row, a repeated id, a formula without its value
        byte[] sheet = Sheets.xlsx(
                new Object[]{"item_id", "sku_id", "mode", "value"},
                new Object[]{800001L, null, "set", 19.9},
                new Object[]{800002L, null, "set", "twelve"},
                new Object[]{},
                new Object[]{800001L, null, "set", 18},
                new Object[]{800004L, null, "set", "=B2*2"},
                new Object[]{800005L, null, "percent", -10},
                new Object[]{"abc", null, "set", 5},
                new Object[]{800007L, null, "set", 0});
        // when it is uploaded with reject_everything
        JsonPath reply = upload("prices.xlsx", sheet, "price_adjust", null, "reject_everything", false)
                .statusCode(201).extract().jsonPath();
        // then each bad row is named with its column and a stable code, and nothing is applied
        long id = reply.getLong("batch.batchId");
        assertTrue(reply.getString("batch.batchCode").startsWith("PRICE_"));
        assertEquals(5, reply.getInt("invalidRows"));
        assertEquals(2, reply.getInt("validRows"));
        assertEquals("failed", reply.getString("batch.status"));
        List<String> errors = reply.getList("errors", java.util.Map.class).stream()
                .map(e -> e.get("row") + "/" + e.get("column") + "/" + e.get("code")).toList();
        assertTrue(errors.containsAll(List.of("3/value/NOT_A_NUMBER", "6/value/FORMULA_NOT_EVALUATED",
                "8/item_id/NOT_A_NUMBER", "9/value/PRICE_NOT_POSITIVE", "5/item_id/DUPLICATE_IN_FILE")), errors.toString());

        given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("status", "validation_failed")
                .get("/batches/" + id + "/items").then().statusCode(200).body("total", equalTo(5))
                .body("items.rowNo", hasItems(3, 5, 6, 8, 9));
        given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("status", "skipped")
                .get("/batches/" + id + "/items").then().body("items.errorCode", hasItem("REJECTED_WITH_BATCH"));

        // and the rejected rows come back as an .xlsx with the uploaded header plus an error column
        byte[] rejected = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/rejected.xlsx").then().statusCode(200).extract().asByteArray();
        List<List<String>> rows = read(rejected);
        assertEquals(List.of("item_id", "sku_id", "mode", "value", "error"), rows.get(0));
        assertEquals(6, rows.size());
        assertEquals("twelve", rows.get(1).get(3));
        assertTrue(rows.get(1).get(4).contains("row 3, value: NOT_A_NUMBER"), rows.get(1).toString());
        // and as CSV
        String csv = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/rejected.csv").then().statusCode(200).extract().asString();
        assertTrue(csv.contains("800002,,set,twelve,"), csv);
    }

    @Test
    void theSameFileTwiceIsFlaggedUnlessForced() {
        byte[] csv = Sheets.csv("item_id,value", "700001,abc");
        long first = upload("p.csv", csv, "price_adjust", null, null, false).statusCode(201)
                .extract().jsonPath().getLong("batch.batchId");
        upload("p-again.csv", csv, "price_adjust", null, null, false).statusCode(409)
                .body("code", equalTo("DUPLICATE_FILE")).body("duplicateOf", equalTo(first));
        upload("p-again.csv", csv, "price_adjust", null, null, true).statusCode(201)
                .body("batch.duplicateOf", equalTo(first));
    }

    // prices-other-writer.xlsx: hand-written OOXML (make_fixture.py), the layout desktop programs
    // save; prices-libreoffice.xlsx: the same sheet opened and saved by LibreOffice Calc 7.4
    // (`soffice --headless --convert-to xlsx prices-other-writer.xlsx`), formulas recalculated.
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"prices-other-writer.xlsx", "prices-libreoffice.xlsx"})
    void aSheetFromAnotherSpreadsheetProgramIsReadWithCachedFormulaValues(String fixture) throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src/test/resources/fixtures/" + fixture));
        JsonPath reply = upload(fixture, file, "price_adjust", null, null, false).statusCode(201).extract().jsonPath();
        assertEquals(4, reply.getInt("validRows"), reply.prettify());
        assertEquals(0, reply.getInt("invalidRows"));
        long id = reply.getLong("batch.batchId");
        // the catalogue is unreachable here: every row is tried, retried, then failed as UPSTREAM_UNAVAILABLE
        JsonPath done = awaitFinished(id);
        assertEquals("failed", done.getString("status"));
        assertEquals(4, done.getInt("failedCount"));
        assertEquals(100, done.getInt("progress"));
        JsonPath items = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/items").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(2, 3, 5, 6), items.getList("items.rowNo"));
        assertEquals(2500, items.getInt("items[2].payload.value"), "the formula's cached value 25 (yuan) in cents");
        assertEquals(-1000, items.getInt("items[3].payload.value"), "-10% in basis points");
        assertEquals("UPSTREAM_UNAVAILABLE", items.getString("items[0].errorCode"));
        assertEquals(3, items.getInt("items[0].attempts"));

        // the result file lists every row with its status and error
        byte[] result = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/result.xlsx").then().statusCode(200).extract().asByteArray();
        List<List<String>> rows = read(result);
        assertEquals("row", rows.get(0).get(0));
        assertEquals(5, rows.size());
        assertEquals("failed", rows.get(1).get(3));
    }

    @Test
    void historyIsPerUserAndAdminsSeeEveryone() {
        long other = operator + 1;
        long mine = upload("h.csv", Sheets.csv("item_id,value", "1,x"), "price_adjust", null, null, false)
                .statusCode(201).extract().jsonPath().getLong("batch.batchId");
        given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches").then().statusCode(200)
                .body("items.batchId", hasItem(mine)).body("total", equalTo(1));
        given().header("Authorization", Tokens.bearer("operator", other)).get("/batches/" + mine).then().statusCode(404);
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator)
                .queryParam("operationType", "price_adjust").get("/batches").then().statusCode(200)
                .body("items.batchId", hasItem(mine));
        given().header("Authorization", Tokens.bearer("operator", operator)).queryParam("status", "processing")
                .queryParam("createdFrom", "2000-01-01T00:00:00Z").get("/batches").then().statusCode(200);
    }

    @Test
    void liveProgressStreamsUntilTheBatchIsFinished() {
        long id = upload("sse.csv", Sheets.csv("item_id,value", "1,x", "2,y"), "price_adjust", null, null, false)
                .statusCode(201).extract().jsonPath().getLong("batch.batchId");
        String stream = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/events").then().statusCode(200).extract().asString();
        assertTrue(stream.contains("\"status\":\"failed\""), stream);
    }

    @Test
    void aTemplateHasTheOperationsColumns() throws Exception {
        byte[] x = given().get("/templates/price_adjust").then().statusCode(200).extract().asByteArray();
        assertEquals(List.of("item_id", "sku_id", "mode", "value", "field", "price_date"), read(x).get(0));
    }

    static List<List<String>> read(byte[] xlsx) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            for (Row r : wb.getFirstSheet().read()) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < r.getCellCount(); i++) {
                    cells.add(r.getCell(i) == null ? "" : r.getCell(i).getText());
                }
                out.add(cells);
            }
        }
        return out;
    }
}
