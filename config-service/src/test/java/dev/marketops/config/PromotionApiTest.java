package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Promotions (main seed 4.3.2): validation, overlap by priority, edit with a version, end. */
@QuarkusTest
class PromotionApiTest {

    private static Map<String, Object> body(Map<String, Object> over) {
        Map<String, Object> b = new HashMap<>(Map.of("name", "Spring sale", "kind", "flash_sale", "userType", "all",
                "itemIds", List.of(Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50))),
                "discountType", "percent", "discountValue", 15, "priority", 3,
                "startsAt", Instant.now().toString(), "endsAt", Instant.now().plusSeconds(3600).toString(), "quota", 500));
        b.putAll(over);
        return b;
    }

    @Test
    void invalidPromotionsAreRefusedNamingTheField() {
        admin().contentType("application/json").body(body(Map.of("endsAt", Instant.now().minusSeconds(60).toString())))
                .post("/promotions").then().statusCode(400).body("code", equalTo("INVALID_PROMOTION")).body("field", equalTo("endsAt"));
        admin().contentType("application/json").body(body(Map.of("discountValue", 100)))
                .post("/promotions").then().statusCode(400).body("field", equalTo("discountValue"));
        admin().contentType("application/json").body(body(Map.of("discountType", "amount", "discountValue", 0)))
                .post("/promotions").then().statusCode(400).body("field", equalTo("discountValue"));
        admin().contentType("application/json").body(body(Map.of("itemIds", List.of(), "categoryIds", List.of())))
                .post("/promotions").then().statusCode(400).body("field", equalTo("categoryIds"));
        admin().contentType("application/json").body(body(Map.of("itemIds", List.of(), "categoryIds", List.of("987654321"))))
                .post("/promotions").then().statusCode(400).body("field", equalTo("categoryIds"));
        as("merchant", 4).contentType("application/json").body(body(Map.of())).post("/promotions").then().statusCode(403);
        admin().contentType("application/json").body(body(Map.of("perUserQuota", 0)))
                .post("/promotions").then().statusCode(400).body("field", equalTo("perUserQuota"));
        admin().contentType("application/json").body(body(Map.of("perUserQuota", 501)))
                .post("/promotions").then().statusCode(400).body("field", equalTo("perUserQuota"))
                .body("reason", equalTo("must not exceed quota (500)"));
        admin().contentType("application/json").body(body(Map.of("userType", "gold")))
                .post("/promotions").then().statusCode(400).body("field", equalTo("userType"));
    }

    @Test
    void aVipPromotionAcrossCategoriesCarriesItsTotalAndPerUserQuota() {
        // a priority of its own: earlier runs' activities over these categories stay in the shared database
        int priority = ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000);
        String id = admin().contentType("application/json")
                .body(body(Map.of("itemIds", List.of(), "categoryIds", List.of("1200", "4100"), "userType", "vip",
                        "perUserQuota", 2, "priority", priority)))
                .post("/promotions").then().statusCode(201)
                .body("userType", equalTo("vip")).body("categoryIds", org.hamcrest.Matchers.contains("1200", "4100"))
                .body("quota", equalTo(500)).body("perUserQuota", equalTo(2))
                .extract().jsonPath().getString("promotionId");
        admin().contentType("application/json").post("/promotions/" + id + "/end").then().statusCode(200);
    }

    @Test
    void overlappingActivitiesNeedDifferentPrioritiesAndAreEditedAndEnded() {
        String item = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
        String first = admin().contentType("application/json").body(body(Map.of("itemIds", List.of(item))))
                .post("/promotions").then().statusCode(201).body("status", equalTo("active")).body("itemIds[0]", equalTo(String.valueOf(item)))
                .extract().jsonPath().getString("promotionId");

        // a second activity over the same item and time at the same priority is refused; another priority is not
        admin().contentType("application/json").body(body(Map.of("itemIds", List.of(item))))
                .post("/promotions").then().statusCode(409).body("code", equalTo("PROMOTION_OVERLAP"))
                .body("conflictingPromotionId", equalTo(String.valueOf(first)));
        admin().contentType("application/json").body(body(Map.of("itemIds", List.of(item), "priority", 4)))
                .post("/promotions").then().statusCode(201);

        // edit with the version it was read at, then end it
        admin().contentType("application/json").body(Map.of("version", 0, "discountValue", 25))
                .put("/promotions/" + first).then().statusCode(200).body("discountValue", equalTo(25)).body("version", equalTo(1));
        admin().contentType("application/json").body(Map.of("version", 0, "discountValue", 30))
                .put("/promotions/" + first).then().statusCode(409).body("code", equalTo("STALE_VERSION"));
        as("operator", 3).contentType("application/json").post("/promotions/" + first + "/end").then().statusCode(200)
                .body("status", equalTo("ended"));
        admin().contentType("application/json").body(Map.of("version", 2, "discountValue", 30))
                .put("/promotions/" + first).then().statusCode(409).body("code", equalTo("PROMOTION_ENDED"));
    }

    /** Activities created, edited and ended as one batch: all or nothing, every failing row named, a dry run keeps nothing. */
    @Test
    void aBatchOfActivitiesIsAppliedWhollyOrNotAtAllNamingEveryFailingRow() {
        String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
        int priority = ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000);
        Map<String, Object> a = row("create", body(Map.of("name", "Batch A " + run, "itemIds", List.of(run), "priority", priority)));
        Map<String, Object> overlapping = row("create", body(Map.of("name", "Batch B " + run, "itemIds", List.of(run), "priority", priority)));
        Map<String, Object> free = row("create", body(Map.of("name", "Batch C " + run, "discountValue", 100)));

        // refused: row 2 overlaps row 1 at the same priority, row 3's discount leaves no price; nothing is kept
        io.restassured.path.json.JsonPath refused = admin().contentType("application/json")
                .body(Map.of("rows", List.of(a, overlapping, free))).post("/promotions/batch").then().statusCode(400)
                .body("code", equalTo("PROMOTION_BATCH_REFUSED")).body("failed", equalTo(2)).extract().jsonPath();
        assertEquals(List.of("not_applied", "failed", "failed"), refused.getList("rows.status"));
        assertEquals(List.of(2, 3), refused.getList("rows.findAll { it.status == 'failed' }.row"));
        assertEquals("PROMOTION_OVERLAP", refused.getString("rows[1].code"));
        assertEquals("priority", refused.getString("rows[1].field"));
        assertEquals("discountValue", refused.getString("rows[2].field"));
        assertNoneNamed(run);

        // a dry run of the valid rows answers what each would do and keeps nothing
        admin().contentType("application/json").body(Map.of("dryRun", true, "rows", List.of(a, row("create",
                        body(Map.of("name", "Batch D " + run))))))
                .post("/promotions/batch").then().statusCode(200).body("dryRun", equalTo(true)).body("applied", equalTo(false))
                .body("results.status", equalTo(List.of("valid", "valid")));
        assertNoneNamed(run);

        // applied: one created, one edited, one ended, in a single request
        String edited = admin().contentType("application/json").body(body(Map.of("name", "Batch E " + run)))
                .post("/promotions").then().statusCode(201).extract().jsonPath().getString("promotionId");
        String ended = admin().contentType("application/json").body(body(Map.of("name", "Batch F " + run)))
                .post("/promotions").then().statusCode(201).extract().jsonPath().getString("promotionId");
        Map<String, Object> edit = new HashMap<>(Map.of("action", "update", "promotionId", edited, "version", 0, "priority", priority + 1));
        io.restassured.path.json.JsonPath done = admin().contentType("application/json")
                .body(Map.of("rows", List.of(a, edit, Map.of("action", "end", "promotionId", ended))))
                .post("/promotions/batch").then().statusCode(200).body("applied", equalTo(true))
                .body("results.status", equalTo(List.of("applied", "applied", "applied"))).extract().jsonPath();
        admin().get("/promotions/" + done.getString("results[0].promotionId")).then().statusCode(200)
                .body("name", equalTo("Batch A " + run)).body("priority", equalTo(priority));
        admin().get("/promotions/" + edited).then().body("priority", equalTo(priority + 1)).body("version", equalTo(1));
        admin().get("/promotions/" + ended).then().body("status", equalTo("ended"));

        // bad rows of their own kind, and who may send them
        admin().contentType("application/json").body(Map.of("rows", List.of(Map.of("action", "explode"))))
                .post("/promotions/batch").then().statusCode(400).body("rows[0].field", equalTo("action"));
        admin().contentType("application/json").body(Map.of("rows", List.of(Map.of("action", "end"))))
                .post("/promotions/batch").then().statusCode(400).body("rows[0].field", equalTo("promotionId"));
        admin().contentType("application/json").body(Map.of("rows", List.of())).post("/promotions/batch").then().statusCode(400)
                .body("field", equalTo("rows"));
        as("merchant", 4).contentType("application/json").body(Map.of("rows", List.of(a))).post("/promotions/batch").then().statusCode(403);
    }

    private static Map<String, Object> row(String action, Map<String, Object> fields) {
        Map<String, Object> r = new HashMap<>(fields);
        r.put("action", action);
        return r;
    }

    private static void assertNoneNamed(String run) {
        List<String> names = admin().get("/promotions").then().statusCode(200).extract().jsonPath().getList("name");
        assertTrue(names.stream().noneMatch(n -> n.endsWith(run)), "a refused or dry-run batch kept " + names);
    }
}
