package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import dev.marketops.search.projection.RedisProjection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A promotion's price (main seed 4.3.2) appears in search and on the item read, the higher priority
 * wins where two overlap, and it disappears by itself after the end.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class SearchPromotionTest {

    @Inject
    SearchIndex index;
    @Inject
    RedisProjection redis;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    /** The promotions this run created, ended afterwards: a running one would outrank the next run's. */
    private final List<String> created = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void endCreated() {
        for (String id : created) {
            given().baseUri(configUrl).header("Authorization", Tokens.bearer("operator", 2)).contentType("application/json")
                    .post("/promotions/" + id + "/end");
        }
        created.clear();
    }

    private String promotion(Map<String, Object> body) {
        Map<String, Object> b = new HashMap<>(Map.of("name", "promo", "kind", "discount", "userType", "all",
                "startsAt", Instant.now().minusSeconds(60).toString()));
        b.putAll(body);
        String id = given().baseUri(configUrl).header("Authorization", Tokens.bearer("operator", 2)).contentType("application/json")
                .body(b).post("/promotions").then().statusCode(201).extract().jsonPath().getString("promotionId");
        created.add(id);
        return id;
    }

    private static JsonPath staff(String path, Map<String, ?> params) {
        return given().header("Authorization", Tokens.bearer("auditor", 7)).queryParams(params).get(path)
                .then().statusCode(200).extract().jsonPath();
    }

    private static Object searchPrice(String run, long itemId) {
        return staff("/search/items", Map.of("tags", run)).get("items.find { it.itemId.toString() == '" + itemId + "' }.promotion.priceCents");
    }

    private static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 30 s");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void thePromotionalPriceAppearsWinsByPriorityAndExpires() throws Exception {
        String run = "promo" + ThreadLocalRandom.current().nextInt(100_000_000);
        // given a voucher (category 1200, under LOCAL_LIFE 1000) at 100.00 and a gift card at 50.00
        ItemSnapshot voucher = Snapshots.item(1200).title("Voucher").price(10000).tags(run).build();
        ItemSnapshot card = Snapshots.item(4200).title("Gift card").price(5000).tags(run).build();
        List<ItemProjection> p = ItemProjection.inScope(List.of(voucher, card));
        redis.write(p, false);
        index.bulkIndex(p, false);

        // when 20% off all of local life runs, and 30.00 off the voucher itself at a higher priority
        // (priorities of this run's own: an earlier run's activities over local life may still be running)
        int base = ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000);
        String wide = promotion(Map.of("categoryIds", List.of("1000"), "discountType", "percent", "discountValue", 20,
                "priority", base, "endsAt", Instant.now().plusSeconds(3600).toString()));
        String narrow = promotion(Map.of("itemIds", List.of(Long.toString(voucher.getItemId())), "discountType", "amount",
                "discountValue", 30, "priority", base + 8, "endsAt", Instant.now().plusSeconds(3600).toString()));

        // then the higher priority sets the voucher's price, in search and on the item read (once the
        // read side's copy of the promotions, kept a few seconds, is renewed); the card has none
        await("the promotions reach the read side", () -> Integer.valueOf(7000).equals(searchPrice(run, voucher.getItemId())));
        assertNull(searchPrice(run, card.getItemId()));
        JsonPath item = staff("/items/" + voucher.getItemId(), Map.of());
        assertEquals(7000, item.getInt("promotion.priceCents"));
        assertEquals(narrow, item.getString("promotion.promotionId"));
        assertEquals(10000, item.getInt("priceCents"), "the list price stays");

        // a vip-only activity on the card, with its limits: vip readers see it (in search too), others do not
        String vip = promotion(Map.of("itemIds", List.of(Long.toString(card.getItemId())), "userType", "vip",
                "discountType", "fixed_price", "discountValue", 45, "priority", base + 1, "quota", 10, "perUserQuota", 1,
                "endsAt", Instant.now().plusSeconds(3600).toString()));
        await("the vip promotion reaches the read side", () -> vip.equals(
                staff("/items/" + card.getItemId(), Map.of("userType", "vip")).getString("promotion.promotionId")));
        JsonPath forVip = staff("/items/" + card.getItemId(), Map.of("userType", "vip"));
        assertEquals(vip, forVip.getString("promotion.promotionId"));
        assertEquals(4500, forVip.getInt("promotion.priceCents"));
        assertEquals("vip", forVip.getString("promotion.userType"));
        assertEquals(10, forVip.getInt("promotion.quota"));
        assertEquals(1, forVip.getInt("promotion.perUserQuota"));
        Object vipInSearch = staff("/search/items", Map.of("tags", run, "userType", "vip"))
                .get("items.find { it.itemId.toString() == '" + card.getItemId() + "' }.promotion.priceCents");
        assertEquals(4500, vipInSearch);
        assertNull(staff("/items/" + card.getItemId(), Map.of()).get("promotion"));
        given().header("Authorization", Tokens.bearer("auditor", 7)).queryParam("userType", "gold")
                .get("/items/" + card.getItemId()).then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("userType"));

        // when the narrow one is ended, the wide one applies
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("operator", 2)).contentType("application/json")
                .post("/promotions/" + narrow + "/end").then().statusCode(200);
        assertEquals(8000, searchPrice(run, voucher.getItemId()));
        assertEquals(wide, staff("/items/" + voucher.getItemId(), Map.of()).getString("promotion.promotionId"));

        // and after its end (moved to a second from now) the promotional price is gone by itself
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("operator", 2)).contentType("application/json")
                .body(Map.of("version", 0, "endsAt", Instant.now().plusSeconds(1).toString()))
                .put("/promotions/" + wide).then().statusCode(200);
        await("the end of the wide promotion", () -> searchPrice(run, voucher.getItemId()) == null);
        assertNull(staff("/items/" + voucher.getItemId(), Map.of()).get("promotion"));
    }
}
