package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A disabled category (issue 14, main seed 4.5.1) refuses new listings, also when it is switched off
 * through its parent, and keeps the listings it has. config-service answers "enabled" for the
 * category and its ancestors; listing-service refuses at task creation.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class DisabledCategoryListingTest {

    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    private RequestSpecification configAdmin() {
        return given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).contentType("application/json");
    }

    private long category(long parentId) {
        String code = "OFF_" + ThreadLocalRandom.current().nextInt(100_000_000);
        return configAdmin().body(Map.of("code", code, "name", code, "parentId", parentId))
                .post("/categories").then().statusCode(201).extract().jsonPath().getLong("categoryId");
    }

    private void disable(long id) {
        long version = configAdmin().get("/categories/" + id).then().extract().jsonPath().getLong("version");
        configAdmin().body(Map.of("version", version, "active", false)).put("/categories/" + id).then().statusCode(200);
    }

    private static Map<String, Object> draft(long categoryId) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryId", categoryId);
        body.put("title", "Disabled category scenario");
        body.put("sourceType", "operator_form");
        body.put("sourceUserType", "operator");
        body.put("shopId", TestCallers.PLATFORM_SHOP);
        body.put("itemData", Map.of());
        return body;
    }

    @Test
    void aDisabledCategoryRefusesANewListing() {
        long off = category(0);
        disable(off);
        asOperator().body(draft(off)).post("/listings").then().statusCode(400)
                .body("code", equalTo("CATEGORY_DISABLED")).body("field", equalTo("categoryId"));
    }

    @Test
    void aCategoryUnderADisabledParentRefusesANewListing() {
        long parent = category(0);
        long child = category(parent);
        disable(parent);
        asOperator().body(draft(child)).post("/listings").then().statusCode(400).body("code", equalTo("CATEGORY_DISABLED"));
    }

    @Test
    void existingListingsStayWhenTheirCategoryIsDisabled() {
        long kept = category(0);
        long taskId = asOperator().body(draft(kept)).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
        disable(kept);
        asOperator().get("/listings/" + taskId).then().statusCode(200).body("categoryId", equalTo(String.valueOf(kept)));
    }
}
