package dev.marketops.listing;

import static io.restassured.RestAssured.given;

import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;

/** Who calls in this module's REST tests: tokens of the roles, and listing bodies without actor ids. */
public final class TestCallers {

    /** The seeded shops (V5__shop.sql). */
    public static final long PLATFORM_SHOP = 1, HARBOUR_DEALS = 1001, CITY_STAYS = 1002;
    /** The operator the tests act as (user 42: the lists filter createdBy = 42). */
    public static final long OPERATOR_ID = 42;

    private TestCallers() {
    }

    public static RequestSpecification asOperator() {
        return as(Tokens.bearer("operator", OPERATOR_ID));
    }

    public static RequestSpecification as(String role, long userId) {
        return as(Tokens.bearer(role, userId));
    }

    /** A merchant user of shop {@code shopId}. */
    public static RequestSpecification asMerchant(long userId, long shopId) {
        return as(Tokens.merchantBearer(userId, shopId));
    }

    public static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer).contentType("application/json");
    }

    /** An operator's draft for a known shop (operator sources need the shop named). */
    public static Map<String, Object> operatorDraft(long categoryId, String sourceType, long shopId) {
        Map<String, Object> body = new HashMap<>(SampleListings.draft(categoryId, sourceType, "operator"));
        body.remove("creatorId");
        body.put("shopId", shopId);
        return body;
    }

    /** A merchant's draft: its shop comes from its token. */
    public static Map<String, Object> merchantDraft(long categoryId, String sourceType) {
        Map<String, Object> body = new HashMap<>(SampleListings.draft(categoryId, sourceType, "merchant"));
        body.remove("creatorId");
        return body;
    }
}
