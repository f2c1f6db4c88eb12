package dev.marketops.supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The registry's CRUD with optimistic versions; credentials only by reference. */
@QuarkusTest
class SupplierRegistryTest {

    static Map<String, Object> body(String code) {
        Map<String, Object> b = new HashMap<>();
        b.put("supplierCode", code);
        b.put("supplierName", "Test hotels");
        b.put("categoryCode", "HOTEL");
        b.put("categoryIds", List.of(2100));
        b.put("syncMode", "pull");
        b.put("adapter", "hotel");
        b.put("endpointUrl", "http://127.0.0.1:1/changes");
        b.put("pullIntervalSeconds", 3600);
        b.put("pageSize", 50);
        b.put("rateLimitPerSecond", 5);
        b.put("credentialRef", "secret:test-hotels-api-key");
        b.put("enabled", false);
        return b;
    }

    @Test
    void createReadUpdateDeleteWithVersions() {
        String code = "REG_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        admin().contentType("application/json").body(body(code)).post("/suppliers").then().statusCode(201)
                .body("supplierCode", equalTo(code)).body("version", equalTo(0)).body("categoryIds", contains("2100"))
                .body("adapter", equalTo("hotel")).body("pageSize", equalTo(50)).body("rateLimitPerSecond", equalTo(5))
                .body("credentialRef", equalTo("secret:test-hotels-api-key")).body("shopId", equalTo("1"))
                .body("syncState.consecutiveFailures", equalTo(0));
        admin().contentType("application/json").body(body(code)).post("/suppliers").then().statusCode(409)
                .body("code", equalTo("SUPPLIER_EXISTS"));

        // an update names the version it read: a stale one is a 409, the right one moves it on
        admin().contentType("application/json").body(Map.of("version", 5, "pageSize", 10)).put("/suppliers/" + code).then()
                .statusCode(409).body("code", equalTo("STALE_VERSION")).body("currentVersion", equalTo(0));
        admin().contentType("application/json").body(Map.of("version", 0, "pageSize", 10, "syncMode", "both",
                "categoryIds", List.of(2100, 2200))).put("/suppliers/" + code).then().statusCode(200)
                .body("version", equalTo(1)).body("pageSize", equalTo(10)).body("syncMode", equalTo("both"))
                .body("categoryIds", contains("2100", "2200")).body("supplierName", equalTo("Test hotels"));
        admin().contentType("application/json").body(Map.of("version", 0, "enabled", true)).put("/suppliers/" + code).then()
                .statusCode(409).body("code", equalTo("STALE_VERSION"));
        admin().queryParam("syncMode", "both").get("/suppliers").then().statusCode(200).body("items.supplierCode", hasItem(code));

        admin().queryParam("expectedVersion", 0).delete("/suppliers/" + code).then().statusCode(409).body("code", equalTo("STALE_VERSION"));
        admin().queryParam("expectedVersion", 1).delete("/suppliers/" + code).then().statusCode(204);
        admin().get("/suppliers/" + code).then().statusCode(404).body("code", equalTo("UNKNOWN_SUPPLIER"));
    }

    @Test
    void badEntriesAreProblemsNamingTheFieldAndASecretIsNeverEchoed() {
        String code = "REG_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        Map<String, Object> b = body(code);
        b.put("credentialRef", "sk_live_9f8e7d6c5b4a");
        admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(400)
                .body("field", equalTo("credentialRef")).body(not(containsString("sk_live_9f8e7d6c5b4a")));
        b = body(code);
        b.put("endpointUrl", "https://user:pa55@hotels.example.com/changes");
        admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(400)
                .body("field", equalTo("endpointUrl")).body(not(containsString("pa55")));
        for (Object[] bad : new Object[][] {{"adapter", "carrier-pigeon"}, {"syncMode", "sometimes"}, {"pageSize", 0},
                {"rateLimitPerSecond", 20000}, {"categoryIds", List.of()}, {"supplierCode", "lower case"}}) {
            b = body(code);
            b.put((String) bad[0], bad[1]);
            admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(400)
                    .body("field", equalTo(bad[0]));
        }
        b = body(code);
        b.remove("endpointUrl");
        admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("endpointUrl"));
    }

    @Test
    void theSupplierSystemsOfTheIdentityIssueAreRegistered() {
        admin().get("/suppliers/CINEMA_ONE").then().statusCode(200).body("adapter", equalTo("movie"))
                .body("categoryIds", contains("3100")).body("credentialRef", equalTo("keycloak:client/supplier-cinema"));
        admin().get("/suppliers/HOTEL_ONE").then().statusCode(200).body("adapter", equalTo("hotel"))
                .body("pushTopic", equalTo("supplier.hotel.updates"));
        admin().get("/suppliers/sync-state").then().statusCode(200).body("supplierCode", hasItem("DEALS_ONE"));
        admin().post("/suppliers/CINEMA_ONE/pull").then().statusCode(409).body("code", equalTo("NOT_PULLED"));
    }

    static RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer("supplier_admin", 10));
    }
}
