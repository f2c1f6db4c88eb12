package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.RestAssured;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed section 11.2: a new category (concert tickets) is onboarded through config-service's
 * API only, and the running fleet, not restarted, accepts, validates and audits its listings.
 */
class ZeroCodeCategoryE2ETest {

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    static final String ADMIN = Logins.bearer("admin", 1);
    static final String OP = Logins.bearer("operator", 7);
    static final String MERCHANT = Logins.bearer("merchant", 1001);

    static long post(String path, Object body) {
        return given().header("Authorization", ADMIN).contentType("application/json").body(body).post(path).then().statusCode(201)
                .extract().jsonPath().getLong("categoryId");
    }

    @Test
    void concertTicketsWorkEndToEndWithNoCodeAndNoRestart() {
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000));
        // Step 1: the category tree and its attributes
        long performance = post("/api/config/categories", Map.of("code", "PERFORMANCE_" + suffix, "name", "Performances", "parentId", 3000));
        long concert = post("/api/config/categories", Map.of("code", "CONCERT_" + suffix, "name", "Concert tickets", "parentId", performance));
        List<Map<String, Object>> attributes = List.of(
                attr("concert_name", "text", true, null, Map.of("maxLength", 200)),
                attr("artist", "text", true, null, Map.of("maxLength", 100)),
                attr("show_time", "datetime", true, null, Map.of("min", "now")),
                attr("venue", "text", true, null, Map.of("maxLength", 200)),
                attr("seat_zone", "enum", true, List.of("VIP", "A", "B", "C", "standing"), null),
                attr("ticket_tier", "enum", true, List.of("floor VIP", "stand VIP", "standard", "student"), null),
                attr("seat_number", "text", false, null, null));
        for (Map<String, Object> a : attributes) {
            given().header("Authorization", ADMIN).contentType("application/json").body(a).post("/api/config/categories/" + concert + "/attributes")
                    .then().statusCode(201);
        }
        // Step 2: how each source is audited
        for (String[] row : new String[][] {{"supplier_push", "system", "fast_track"}, {"supplier_pull", "system", "auto"},
                {"operator_form", "operator", "skip"}, {"merchant_portal", "merchant", "manual"}, {"merchant_app", "merchant", "manual"}}) {
            given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("categoryId", concert, "sourceType", row[0],
                    "sourceUserType", row[1], "auditStrategy", row[2])).post("/api/config/audit-configs").then().statusCode(201);
        }

        // An operator's listing skips audit, is approved and published (APPROVED lasts only as long
        // as the publish saga, so the wait is for ONLINE: a configured category publishes too)
        long operatorTask = submit(concert, "operator_form", "operator", validConcert());
        Fleet.await("the operator's concert listing is approved and online", () -> "ONLINE".equals(status(operatorTask)));
        given().header("Authorization", OP).queryParam("taskId", operatorTask).get("/api/audit/audit-logs").then().body("[0].auditType", equalTo("skip"));
        // A supplier's listing takes the fast track
        long supplierTask = submit(concert, "supplier_push", "system", validConcert());
        Fleet.await("the supplier's concert listing is approved and online", () -> "ONLINE".equals(status(supplierTask)));
        given().header("Authorization", OP).queryParam("taskId", supplierTask).get("/api/audit/audit-logs").then().body("[0].auditType", equalTo("fast_track"));
        // A merchant's listing waits for an auditor, who approves it
        long merchantTask = submit(concert, "merchant_portal", "merchant", validConcert());
        long[] review = new long[1];
        Fleet.await("the merchant's listing is in the review queue", () -> {
            List<Long> ids = given().header("Authorization", Logins.bearer("auditor", 77)).queryParam("taskId", merchantTask)
                    .get("/api/audit/reviews").jsonPath().getList("items.reviewId", Long.class);
            return !ids.isEmpty() && (review[0] = ids.get(0)) > 0;
        });
        given().header("Authorization", Logins.bearer("auditor", 77)).contentType("application/json").body(Map.of())
                .post("/api/audit/reviews/" + review[0] + "/approve").then().statusCode(200);
        Fleet.await("the merchant's listing is approved and online", () -> "ONLINE".equals(status(merchantTask)));

        // Its own rules, from configuration only, refuse bad listings with a problem naming the field
        Map<String, Object> past = validConcert();
        past.put("show_time", "2020-05-01T20:00:00+08:00");
        past.put("seat_zone", "balcony");
        long bad = create(concert, "operator_form", "operator", past);
        given().header("Authorization", OP).contentType("application/json").body(Map.of("expectedVersion", 0))
                .post("/api/listing/listings/" + bad + "/actions/submit").then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("violations.field", hasItem("show_time")).body("violations.field", hasItem("seat_zone"));

        // A new required attribute would invalidate the three online concerts: config-service asks the catalogue
        // (listing-service over gRPC) and answers with the count first; only a confirmed change is applied
        Map<String, Object> ageLimit = attr("age_limit", "text", true, null, null);
        io.restassured.path.json.JsonPath refused = given().header("Authorization", ADMIN).contentType("application/json").body(ageLimit)
                .post("/api/config/categories/" + concert + "/attributes").then().statusCode(409)
                .body("code", equalTo("CONFIRMATION_REQUIRED")).extract().jsonPath();
        org.junit.jupiter.api.Assertions.assertEquals(3, refused.getInt("affectedItems"), refused.prettify());
        given().header("Authorization", ADMIN).contentType("application/json").body(ageLimit)
                .queryParam("confirm", true).queryParam("schemaVersion", refused.getInt("schemaVersion"))
                .post("/api/config/categories/" + concert + "/attributes").then().statusCode(201);
    }

    static Map<String, Object> attr(String code, String type, boolean required, List<String> enums, Map<String, Object> rule) {
        Map<String, Object> a = new HashMap<>();
        a.put("code", code);
        a.put("name", code.replace('_', ' '));
        a.put("type", type);
        a.put("required", required);
        if (enums != null) {
            a.put("enumValues", enums);
        }
        if (rule != null) {
            a.put("validationRule", rule);
        }
        return a;
    }

    static Map<String, Object> validConcert() {
        Map<String, Object> m = new HashMap<>();
        m.put("concert_name", "Summer Nights");
        m.put("artist", "The Harbour Band");
        m.put("show_time", OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0).toString());
        m.put("venue", "City Arena");
        m.put("seat_zone", "A");
        m.put("ticket_tier", "standard");
        return m;
    }

    /** A merchant's listing is created with the merchant's login (its shop from the token); others by an operator for shop 1001. */
    static String creator(String user) {
        return "merchant".equals(user) ? MERCHANT : OP;
    }

    static long create(long category, String source, String user, Map<String, Object> data) {
        Map<String, Object> body = new HashMap<>(Map.of("categoryId", category, "title", "Summer Nights",
                "sourceType", source, "sourceUserType", user, "itemData", data));
        if (!"merchant".equals(user)) {
            body.put("shopId", 1001);
        }
        return given().header("Authorization", creator(user)).contentType("application/json").body(body)
                .post("/api/listing/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
    }

    static long submit(long category, String source, String user, Map<String, Object> data) {
        long taskId = create(category, source, user, data);
        given().header("Authorization", creator(user)).contentType("application/json").body(Map.of("expectedVersion", 0))
                .post("/api/listing/listings/" + taskId + "/actions/submit").then().statusCode(200);
        return taskId;
    }

    static String status(long taskId) {
        return given().header("Authorization", OP).get("/api/listing/listings/" + taskId).jsonPath().getString("statusName");
    }
}
