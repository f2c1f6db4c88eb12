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
import org.dhatim.fastexcel.reader.CellType;
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
                .body("code", equalTo("DUPLICATE_FILE")).body("duplicateOf", equalTo(String.valueOf(first)));
        upload("p-again.csv", csv, "price_adjust", null, null, true).statusCode(201)
                .body("batch.duplicateOf", equalTo(String.valueOf(first)));
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
        // the catalogue is unreachable here: the outage is waited out (chunks put back, no row attempt
        // counted) until its budget (2 s in tests) is used up, then every row fails as UPSTREAM_UNAVAILABLE
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
        assertEquals(1, items.getInt("items[0].attempts"), "put-backs for an outage are no attempts of the row");
        assertTrue(items.getString("items[0].errorMessage").contains("outage budget"), items.getString("items[0].errorMessage"));
        // the batch's history says what happened, and it can be resumed (and gives up again: nothing listens)
        JsonPath history = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + id + "/history").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("outage_started", "outage_budget_used"), history.getList("action"));
        given().header("Authorization", Tokens.bearer("operator", operator)).post("/batches/" + id + "/resume")
                .then().statusCode(200).body("reopenedRows", equalTo(4)).body("batch.status", equalTo("processing"));
        JsonPath again = awaitFinished(id);
        assertEquals(4, again.getInt("failedCount"), again.prettify());
        given().header("Authorization", Tokens.bearer("operator", operator + 1)).post("/batches/" + id + "/resume")
                .then().statusCode(404);
        given().header("Authorization", Tokens.bearer("auditor", operator)).post("/batches/" + id + "/retry-failed")
                .then().statusCode(403);
        assertEquals(List.of("outage_started", "outage_budget_used", "resume", "outage_started", "outage_budget_used"),
                given().header("Authorization", Tokens.bearer("operator", operator)).get("/batches/" + id + "/history")
                        .then().statusCode(200).extract().jsonPath().getList("action"));

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
                .body("items.batchId", hasItem(String.valueOf(mine))).body("total", equalTo(1));
        given().header("Authorization", Tokens.bearer("operator", other)).get("/batches/" + mine).then().statusCode(404);
        given().header("Authorization", Tokens.bearer("admin", 1)).queryParam("createdBy", operator)
                .queryParam("operationType", "price_adjust").get("/batches").then().statusCode(200)
                .body("items.batchId", hasItem(String.valueOf(mine)));
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
        byte[] x = given().header("Authorization", Tokens.bearer("operator", operator)).get("/templates/price_adjust").then().statusCode(200).extract().asByteArray();
        assertEquals(List.of("item_id", "sku_id", "mode", "value", "field", "price_date"), read(x).get(0));
        String styles = zipEntry(x, "xl/styles.xml");
        assertTrue(styles.contains("formatCode=\"@\"") || styles.contains("numFmtId=\"49\""),
                "id columns are formatted as Text so typed ids stay exact: " + styles);
    }

    /**
     * A spreadsheet keeps numbers as doubles: a snowflake id in a number cell has lost its last
     * digits (121310230450704000 for ...0704123). Such a cell is a row error telling the user to
     * format the column as text, never a NOT_FOUND for an id nobody typed; a small integer in a
     * number cell is exact and still read.
     */
    @Test
    void idsStoredAsNumbersThatCannotBeExactAreRowErrors() throws Exception {
        byte[] sheet = Sheets.xlsx(
                new Object[]{"item_id", "sku_id", "mode", "value"},
                new Object[]{1.21310230450704E17, null, "set", 10},      // how fastexcel and spreadsheets store it: a double
                new Object[]{"121310230450704123", null, "set", 10},     // a text cell: exact
                new Object[]{800003L, 12.5, "set", 10},                 // a fraction in an id column
                new Object[]{800004L, null, "set", 10});                // a small whole number: exact, accepted
        JsonPath reply = upload("ids.xlsx", sheet, "price_adjust", null, "reject_everything", false)
                .statusCode(201).extract().jsonPath();
        List<String> errors = reply.getList("errors", java.util.Map.class).stream()
                .map(e -> e.get("row") + "/" + e.get("column") + "/" + e.get("code")).toList();
        assertEquals(List.of("2/item_id/ID_NOT_TEXT", "4/sku_id/ID_NOT_TEXT"), errors);
        assertEquals(2, reply.getInt("validRows"));
        String message = reply.getString("errors[0].message");
        assertTrue(message.contains("row 2") && message.contains("item_id") && message.contains("as Text"), message);

        // a CSV saved by a spreadsheet program writes such a number in its own notation: the same error
        JsonPath csv = upload("ids.csv", Sheets.csv("item_id,value", "1.21310230450704E+17,10", "121310230450704123,10"),
                "price_adjust", null, "reject_everything", false).statusCode(201).extract().jsonPath();
        assertEquals("ID_NOT_TEXT", csv.getString("errors[0].code"));
        assertEquals(1, csv.getInt("invalidRows"));

        // and the rejected rows come back with the id as a text cell, ready to correct and upload again
        byte[] rejected = given().header("Authorization", Tokens.bearer("operator", operator))
                .get("/batches/" + reply.getString("batch.batchId") + "/rejected.xlsx").then().statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(rejected))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals(CellType.STRING, rows.get(1).getCell(0).getType());
            assertEquals("121310230450704000", rows.get(1).getCell(0).getText());
        }
    }

    static String zipEntry(byte[] zip, String name) throws Exception {
        // a file, not a stream: fastexcel streams its entries with data descriptors, which ZipInputStream mis-reads
        Path f = Files.createTempFile("sheet", ".xlsx");
        try {
            Files.write(f, zip);
            try (var z = new java.util.zip.ZipFile(f.toFile())) {
                var e = z.getEntry(name);
                assertTrue(e != null, "no " + name + " in the file");
                return new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            Files.deleteIfExists(f);
        }
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
