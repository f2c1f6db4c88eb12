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

    static final String OP = Logins.bearer("operator", 7);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    @Test
    void anApprovedListingBecomesOnlineReadableFromRedisAndFindableInSearch() throws Exception {
        String token = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (KafkaConsumer<String, byte[]> published = atEnd(Fleet.consumerFromStart("listing.published"))) {
            long taskId = given().header("Authorization", OP).contentType("application/json").body(Map.of("categoryId", 4100, "title", "Top-up " + token,
                            "sourceType", "operator_form", "sourceUserType", "operator", "shopId", 1001,
                            "itemData", Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5)))
                    .post("/api/listing/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
            given().header("Authorization", OP).contentType("application/json").body(Map.of("expectedVersion", 0))
                    .post("/api/listing/listings/" + taskId + "/actions/submit").then().statusCode(200);

            Fleet.await("task " + taskId + " is ONLINE", () -> "ONLINE".equals(task(taskId).getString("statusName")));
            long itemId = task(taskId).getLong("itemId");
            assertTrue(itemId > 0, "the ONLINE task names its catalogue item");

            // the saga, as publish-service recorded it
            given().header("Authorization", OP).get("/api/publish/sagas/" + taskId).then().statusCode(200)
                    .body("status", equalTo("completed")).body("itemId", equalTo(String.valueOf(itemId)));

            // the catalogue (truth) and the Redis projection agree; the first read comes from Redis
            Fleet.await("item " + itemId + " is in the read projection", () ->
                    given().header("Authorization", OP).get("/api/search/items/" + itemId).statusCode() == 200);
            JsonPath item = given().header("Authorization", OP).get("/api/search/items/" + itemId).then().statusCode(200).extract().jsonPath();
            assertEquals("online", item.getString("status"));
            assertEquals(4950L, item.getLong("priceCents"));
            assertTrue(List.of("redis", "l1").contains(item.getString("servedFrom")), "served from " + item.getString("servedFrom"));

            // findable by free text in the operators' product search, with the filters the list uses
            Fleet.await("item " + itemId + " is findable", () ->
                    given().header("Authorization", OP).queryParam("q", token).get("/api/search/search/items").then().extract().jsonPath().getLong("total") == 1);
            given().header("Authorization", OP).queryParam("q", token).queryParam("categoryId", 4000).queryParam("status", "online")
                    .get("/api/search/search/items").then().statusCode(200)
                    .body("total", equalTo(1)).body("items[0].itemId", equalTo(String.valueOf(itemId)));

            // listing.published: exactly one event for the task, carrying the item (read from where the
            // topic ended before the task was created: wait for its event, then a grace period for a duplicate)
            List<ListingEvent> events = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
                if (!events.isEmpty() && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.currentTimeMillis() + 3_000;
                }
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

    /** The consumer moved to the current end of its topic (joins the group first, so the seek sticks). */
    private static KafkaConsumer<String, byte[]> atEnd(KafkaConsumer<String, byte[]> c) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
        if (c.assignment().isEmpty()) {
            return c; // no such topic yet: from its start, once created, is this run's events only
        }
        c.seekToEnd(c.assignment());
        c.assignment().forEach(c::position); // resolve the end offsets now, before the task is created
        return c;
    }

    private static JsonPath task(long taskId) {
        return given().header("Authorization", OP).get("/api/listing/listings/" + taskId).then().statusCode(200).extract().jsonPath();
    }
}
