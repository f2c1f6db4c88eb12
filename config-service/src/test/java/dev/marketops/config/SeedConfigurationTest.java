package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration the platform ships with (main seed 4.5.2, 3.3.5, 1.2.1). */
@QuarkusTest
class SeedConfigurationTest {

    private static final Map<Long, List<String>> ATTRIBUTES = Map.of(
            1200L, List.of("face_value", "sale_price", "valid_days", "applicable_stores"),
            1300L, List.of("service_name", "price", "quantity", "valid_days"),
            1400L, List.of("bundle_price", "sub_items", "valid_days"),
            2100L, List.of("star_rating", "breakfast_type", "guest_capacity", "bed_type", "price_calendar"),
            3100L, List.of("movie_name", "show_time", "cinema_name", "ticket_type", "hall", "seats"),
            4100L, List.of("carrier", "denomination", "sale_price"),
            4200L, List.of("face_value", "sale_price", "card_type"));

    @Test
    void everyOneOfTheSevenCategoriesHasItsAttributesInSortOrder() {
        ATTRIBUTES.forEach((categoryId, codes) -> {
            List<String> served = admin().get("/categories/" + categoryId + "/schema").then().statusCode(200)
                    .extract().jsonPath().getList("attributes.code", String.class);
            // The seed declares nothing on the roots, so the schema is the category's own list.
            assertEquals(codes, served, "schema of category " + categoryId);
        });
    }

    @Test
    void categoryRulesLiveInTheAttributesValidationRules() {
        admin().get("/categories/4100/attributes/denomination").then().statusCode(200)
                .body("type", equalTo("integer")).body("required", equalTo(true))
                .body("validationRule.min", equalTo(10)).body("validationRule.max", equalTo(500));
        admin().get("/categories/2100/attributes/star_rating").then().statusCode(200)
                .body("enumValues", contains("3-star", "4-star", "5-star"));
        admin().get("/categories/3100/attributes/show_time").then().statusCode(200)
                .body("type", equalTo("datetime")).body("validationRule.min", equalTo("now"));
        admin().get("/categories/2100/attributes/guest_capacity").then().statusCode(200)
                .body("validationRule", equalTo(Map.of("min", 1, "max", 10)));
    }

    @Test
    void everyOneOfTheSevenCategoriesHasAuditRowsForTheSourcesThatFeedIt() {
        for (long categoryId : ATTRIBUTES.keySet()) {
            admin().queryParam("categoryId", categoryId).get("/audit-configs").then().statusCode(200)
                    .body("$", not(empty()));
        }
        admin().queryParam("categoryId", 1200).get("/audit-configs").then()
                .body("sourceType", hasItems("operator_form", "merchant_portal", "supplier_pull", "excel_batch"));
        admin().queryParam("categoryId", 4200).queryParam("sourceType", "merchant_app").get("/audit-configs").then()
                .body("auditStrategy", contains("manual")).body("sourceUserType", contains("merchant"));
    }

    @Test
    void theSeedSampleRowsOfSection3_3_5AreConfigured() {
        Map<String, String> expected = Map.of(
                "1200/operator_form/operator", "skip", "1200/merchant_portal/merchant", "manual",
                "2100/supplier_pull/system", "fast_track", "2100/operator_form/operator", "skip",
                "3100/supplier_push/system", "fast_track", "4100/operator_form/operator", "skip",
                "4200/operator_form/operator", "skip", "4200/merchant_app/merchant", "manual");
        expected.forEach((key, strategy) -> {
            String[] k = key.split("/");
            var decision = ConfigFixtures.resolve(Long.parseLong(k[0]), k[1], k[2]).statusCode(200)
                    .extract().jsonPath();
            assertEquals(strategy, decision.getString("strategy"), key);
            assertEquals(Long.parseLong(k[0]), decision.getLong("matchedCategoryId"), key);
            assertFalse(decision.getString("reason").isBlank());
        });
    }
}
