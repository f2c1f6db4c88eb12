package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.events.ListingEvent;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue "publishing", end to end through the gateway and the whole fleet: an operator's
 * listing is submitted, audit-service approves it (skip strategy), publish-service's saga
 * puts it into listing-service's catalogue and makes the task ONLINE, search-service
 * projects it into Redis and the search index from the events, and listing.published is
 * emitted exactly once.
 */
class PublishE2ETest {

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
    }

    @Test
    void anApprovedListingBecomesOnlineReadableFromRedisAndFindableInSearch() throws Exception {
        String token = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (KafkaConsumer<String, byte[]> published = Fleet.consumerFromStart("listing.published")) {
            long taskId = given().contentType("application/json").body(Map.of("categoryId", 4100, "title", "Top-up " + token,
                            "sourceType", "operator_form", "sourceUserType", "operator", "creatorId", 7, "merchantId", 31,
                            "itemData", Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5)))
                    .post("/api/listing/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
            given().contentType("application/json").body(Map.of("expectedVersion", 0))
                    .post("/api/listing/listings/" + taskId + "/actions/submit").then().statusCode(200);

            Fleet.await("task " + taskId + " is ONLINE", () -> "ONLINE".equals(task(taskId).getString("statusName")));
            long itemId = task(taskId).getLong("itemId");
            assertTrue(itemId > 0, "the ONLINE task names its catalogue item");

            // the saga, as publish-service recorded it
            given().get("/api/publish/sagas/" + taskId).then().statusCode(200)
                    .body("status", equalTo("completed")).body("itemId", equalTo(itemId));

            // the catalogue (truth) and the Redis projection agree; the first read comes from Redis
            Fleet.await("item " + itemId + " is in the read projection", () ->
                    given().get("/api/search/items/" + itemId).statusCode() == 200);
            JsonPath item = given().get("/api/search/items/" + itemId).then().statusCode(200).extract().jsonPath();
            assertEquals("online", item.getString("status"));
            assertEquals(4950L, item.getLong("priceCents"));
            assertTrue(List.of("redis", "l1").contains(item.getString("servedFrom")), "served from " + item.getString("servedFrom"));

            // findable by free text in the operators' product search, with the filters the list uses
            Fleet.await("item " + itemId + " is findable", () ->
                    given().queryParam("q", token).get("/api/search/search/items").then().extract().jsonPath().getLong("total") == 1);
            given().queryParam("q", token).queryParam("categoryId", 4000).queryParam("status", "online")
                    .get("/api/search/search/items").then().statusCode(200)
                    .body("total", equalTo(1)).body("items[0].itemId", equalTo(itemId));

            // listing.published: exactly one event for the task, carrying the item
            List<ListingEvent> events = new ArrayList<>();
            long quietUntil = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < quietUntil) {
                for (ConsumerRecord<String, byte[]> r : published.poll(Duration.ofMillis(200))) {
                    if (String.valueOf(taskId).equals(r.key())) {
                        events.add(ListingEvent.parseFrom(r.value()));
                    }
                }
            }
            assertEquals(1, events.size(), "listing.published events for task " + taskId);
            assertEquals(itemId, events.get(0).getItemId());
        }
    }

    private static JsonPath task(long taskId) {
        return given().get("/api/listing/listings/" + taskId).then().statusCode(200).extract().jsonPath();
    }
}
