package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merchants through the gateway with real Keycloak logins: merchant 1001's listing, item and
 * batch are invisible and untouchable to merchant 1002 (404), visible to staff; a merchant
 * cannot claim an operator's source (which would pick the "skip" audit strategy).
 */
class MerchantIsolationE2ETest {

    static final String A = Logins.bearer("merchant", 1001);
    static final String B = Logins.bearer("merchant", 1002);
    static final String OPERATOR = Logins.bearer("operator", 7);
    static final String AUDITOR = Logins.bearer("auditor", 8);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    static Map<String, Object> giftCard(String title) {
        return Map.of("categoryId", 4200, "title", title, "sourceType", "merchant_app", "sourceUserType", "merchant",
                "itemData", Map.of("face_value", 200, "sale_price", 190, "card_type", "generated"));
    }

    @Test
    void anotherMerchantsListingItemAndBatchAreNotFound() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long task = given().header("Authorization", A).contentType("application/json").body(giftCard("Gift card " + run))
                .post("/api/listing/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");

        List<String> leaks = new ArrayList<>();
        check(leaks, "GET task", given().header("Authorization", B).get("/api/listing/listings/" + task));
        check(leaks, "GET history", given().header("Authorization", B).get("/api/listing/listings/" + task + "/history"));
        check(leaks, "submit", given().header("Authorization", B).contentType("application/json")
                .body(Map.of("expectedVersion", 0)).post("/api/listing/listings/" + task + "/actions/submit"));
        check(leaks, "edit", given().header("Authorization", B).contentType("application/json")
                .body(Map.of("expectedVersion", 0, "title", "hijacked")).put("/api/listing/listings/" + task));
        JsonPath listB = given().header("Authorization", B).queryParam("size", 200).get("/api/listing/listings").then()
                .statusCode(200).extract().jsonPath();
        assertFalse(listB.getList("items.taskId", Long.class).contains(task), "merchant B's list holds A's task");
        checkEmptyOr404(leaks, "audit logs", given().header("Authorization", B).queryParam("taskId", task).get("/api/audit/audit-logs"));
        checkEmptyOr404(leaks, "lifecycle", given().header("Authorization", B).queryParam("taskId", task).get("/api/audit/listing-events"));
        // staff and the owner see it
        given().header("Authorization", OPERATOR).get("/api/listing/listings/" + task).then().statusCode(200);
        given().header("Authorization", A).get("/api/listing/listings/" + task).then().statusCode(200)
                .body("title", org.hamcrest.Matchers.equalTo("Gift card " + run));

        // A submits, an auditor approves, it goes online in A's shop
        given().header("Authorization", A).contentType("application/json").body(Map.of("expectedVersion", 0))
                .post("/api/listing/listings/" + task + "/actions/submit").then().statusCode(200);
        long[] review = new long[1];
        Fleet.await("A's gift card is in the review queue", () -> {
            List<Long> ids = given().header("Authorization", AUDITOR).queryParam("taskId", task)
                    .get("/api/audit/reviews").jsonPath().getList("items.reviewId", Long.class);
            return ids != null && !ids.isEmpty() && (review[0] = ids.get(0)) > 0;
        });
        given().header("Authorization", AUDITOR).contentType("application/json").body(Map.of())
                .post("/api/audit/reviews/" + review[0] + "/approve").then().statusCode(200);
        Fleet.await("A's gift card is online", () -> "ONLINE".equals(given().header("Authorization", A)
                .get("/api/listing/listings/" + task).jsonPath().getString("statusName")));
        long item = given().header("Authorization", A).get("/api/listing/listings/" + task).jsonPath().getLong("itemId");
        given().header("Authorization", A).get("/api/listing/items/" + item).then().statusCode(200);
        Fleet.await("A's item is readable in search-service", () ->
                given().header("Authorization", A).get("/api/search/items/" + item).statusCode() == 200);

        check(leaks, "GET item", given().header("Authorization", B).get("/api/listing/items/" + item));
        check(leaks, "GET search item", given().header("Authorization", B).get("/api/search/items/" + item));
        Response offline = given().header("Authorization", B).contentType("application/json")
                .body(Map.of("itemIds", List.of(item), "targetStatus", "offline", "reason", "hostile"))
                .post("/api/listing/items/status");
        assertTrue(offline.statusCode() == 404 || offline.asString().contains("NOT_FOUND"),
                "B taking A's item offline: " + offline.statusCode() + " " + offline.asString());
        given().header("Authorization", A).get("/api/listing/items/" + item).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalToIgnoringCase("online"));
        JsonPath searchB = given().header("Authorization", B).queryParam("q", run).get("/api/search/search/items").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(0, searchB.getLong("total"), "merchant B finds A's goods: " + searchB.prettify());

        // batches and their files
        String csv = "category_id,title,face_value,sale_price,card_type\n4200,Gift card batch " + run + ",100,95,generated\n";
        long batch = given().header("Authorization", A)
                .multiPart("file", "gift-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("operationType", "listing_upload")
                .post("/api/batch/batches").then().statusCode(201).extract().jsonPath().getLong("batch.batchId");
        check(leaks, "GET batch", given().header("Authorization", B).get("/api/batch/batches/" + batch));
        check(leaks, "GET batch items", given().header("Authorization", B).get("/api/batch/batches/" + batch + "/items"));
        check(leaks, "GET result file", given().header("Authorization", B).get("/api/batch/batches/" + batch + "/result.xlsx"));
        check(leaks, "cancel batch", given().header("Authorization", B).post("/api/batch/batches/" + batch + "/cancel"));
        given().header("Authorization", A).get("/api/batch/batches/" + batch).then().statusCode(200);
        assertEquals(List.of(), leaks, "merchant B reached merchant A's things");
    }

    @Test
    void aMerchantCannotClaimAnOperatorsSource() {
        Response r = given().header("Authorization", A).contentType("application/json")
                .body(Map.of("categoryId", 4100, "title", "Sneaky top-up", "sourceType", "operator_form", "sourceUserType", "operator",
                        "itemData", Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5)))
                .post("/api/listing/listings");
        assertTrue(r.statusCode() == 403 || r.statusCode() == 400, r.asString());
        assertEquals("sourceType", r.jsonPath().getString("field"), r.asString());
    }

    static void check(List<String> leaks, String what, Response r) {
        if (r.statusCode() != 404) {
            leaks.add(what + " -> " + r.statusCode() + " " + r.asString());
        }
    }

    static void checkEmptyOr404(List<String> leaks, String what, Response r) {
        if (r.statusCode() == 404) {
            return;
        }
        String body = r.asString().trim();
        if (r.statusCode() != 200 || !(body.equals("[]") || body.contains("\"items\":[]"))) {
            leaks.add(what + " -> " + r.statusCode() + " " + body);
        }
    }
}
