package dev.marketops.search;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Tags of config-service's tag table rank search hits (main seed 4.6.2): sort=tag_priority, filter by tag. */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class SearchTagPriorityTest {

    @Inject
    SearchIndex index;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    private void tag(String code, String type, int priority) {
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).contentType("application/json")
                .body(Map.of("code", code, "name", code, "type", type, "priority", priority))
                .post("/tags").then().statusCode(201);
    }

    @Test
    void hitsAreRankedByTheirBestTagAndFilteredByTag() {
        String run = "tp" + ThreadLocalRandom.current().nextInt(100_000_000);
        String hot = run + "-hot", seasonal = run + "-spring", plain = run + "-plain";
        tag(hot, "hot", 50);
        tag(seasonal, "seasonal", 90);

        // given three items of a run: one hot, one seasonal and hot, one with a code that is not in the tag table
        ItemSnapshot a = Snapshots.item(1200).title("Hot voucher").tags(run, hot).build();
        ItemSnapshot b = Snapshots.item(4200).title("Spring gift card").tags(run, hot, seasonal).build();
        ItemSnapshot c = Snapshots.item(1300).title("Plain wash").tags(run, plain).build();
        index.bulkIndex(ItemProjection.inScope(List.of(a, b, c)), false);

        // when searching the run by tag priority, then the best tag ranks first and the untagged item last
        List<Long> ranked = given().header("Authorization", Tokens.bearer("operator", 3))
                .queryParam("tags", run).queryParam("sort", "tag_priority")
                .get("/search/items").then().statusCode(200).extract().jsonPath().getList("items.itemId", Long.class);
        assertEquals(List.of(b.getItemId(), a.getItemId(), c.getItemId()), ranked);

        // ascending turns it round; the tag filter narrows to the tagged items
        List<Long> ascending = given().header("Authorization", Tokens.bearer("operator", 3))
                .queryParam("tags", run).queryParam("sort", "tag_priority:asc")
                .get("/search/items").then().statusCode(200).extract().jsonPath().getList("items.itemId", Long.class);
        assertEquals(List.of(c.getItemId(), a.getItemId(), b.getItemId()), ascending);
        List<Long> hotOnes = given().header("Authorization", Tokens.bearer("operator", 3))
                .queryParam("tags", run + "," + hot).queryParam("sort", "tag_priority")
                .get("/search/items").then().statusCode(200).extract().jsonPath().getList("items.itemId", Long.class);
        assertEquals(List.of(b.getItemId(), a.getItemId()), hotOnes);
    }
}
