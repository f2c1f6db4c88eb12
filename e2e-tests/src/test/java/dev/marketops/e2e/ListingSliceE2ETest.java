package dev.marketops.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.proto.events.ListingEvent;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation's vertical slice through the real fleet: gateway -> listing-service (row +
 * outbox in one transaction) -> Kafka listing.lifecycle -> audit-service (idempotent, asks
 * config-service over gRPC for the category) -> history readable through the gateway.
 */
class ListingSliceE2ETest {

    static final List<String> SERVICES = List.of("config", "listing", "audit", "publish", "batch", "supplier", "maintenance", "search");

    static final String OP = Logins.bearer("operator", 7);
    static final String ADMIN = Logins.bearer("admin", 1);

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = Fleet.GATEWAY;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed status shows the problem body
    }

    @Test
    void everyServiceIsHealthyThroughTheGateway() {
        for (String s : SERVICES) {
            given().get("/api/" + s + "/q/health").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/api/" + s + "/q/openapi?format=json").then().statusCode(200);
            // metrics are scraped from each service's management port, never through the gateway
            org.junit.jupiter.api.Assertions.assertTrue(List.of(401, 404).contains(given().get("/api/" + s + "/q/metrics").statusCode()));
        }
        // the read side checks the search engine it writes to
        given().get("/api/search/q/health").then().body("checks.name", hasItem("Elasticsearch cluster health check"));
    }

    @Test
    void aDraftCreatedOverRestIsRecordedByAuditWithItsCategoryNameExactlyOnce() throws Exception {
        try (KafkaConsumer<String, byte[]> lifecycle = Fleet.consumerFromStart("listing.lifecycle")) {
            // given a draft created by an operator through the gateway
            long taskId = given().header("Authorization", OP).contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("categoryId", 1200, "title", "E2E voucher", "sourceType", "operator_form",
                            "sourceUserType", "operator", "shopId", 1001, "itemData", Map.of("face_value", 100)))
                    .post("/api/listing/listings").then().statusCode(201)
                    .body("statusName", equalTo("DRAFT")).extract().jsonPath().getLong("taskId");

            // hop 1: the row and its outbox event, written together; the publisher marks it sent
            assertEquals(1, Fleet.count("SELECT count(*) FROM listing.listing_task WHERE task_id = ?", taskId));
            Fleet.await("the outbox row is sent", () -> Fleet.count(
                    "SELECT count(*) FROM listing.outbox_event WHERE msg_key = ? AND sent_at IS NOT NULL",
                    Long.toString(taskId)) == 1);

            // hop 2: the ListingEvent on Kafka, keyed by the task
            ConsumerRecord<String, byte[]> record = Fleet.awaitRecord(lifecycle, Long.toString(taskId), Duration.ofSeconds(30));
            ListingEvent event = ListingEvent.parseFrom(record.value());
            assertEquals("created", event.getEventType());
            assertEquals(1200, event.getCategoryId());
            assertEquals(event.getEventId(), Fleet.header(record, "event_id"));

            // hop 3: audit-service recorded it, naming the category it got from config-service over gRPC
            Fleet.await("audit-service recorded the event", () -> given().header("Authorization", OP).queryParam("taskId", taskId)
                    .get("/api/audit/listing-events").jsonPath().getList("$").size() == 1);
            given().header("Authorization", OP).queryParam("taskId", taskId).get("/api/audit/listing-events").then()
                    .body("[0].categoryName", equalTo("E-voucher (Deal)")).body("[0].eventId", equalTo(event.getEventId()));

            // hop 4: Kafka redelivers the same event; audit-service sees it and applies nothing
            double duplicatesBefore = duplicatesSeenByAudit();
            Fleet.redeliver(record);
            Fleet.await("audit-service saw the redelivery", () -> duplicatesSeenByAudit() > duplicatesBefore);
            assertEquals(1, Fleet.count("SELECT count(*) FROM audit.listing_event_record WHERE task_id = ?", taskId));
            assertEquals(1, given().header("Authorization", OP).queryParam("taskId", taskId).get("/api/audit/listing-events").jsonPath().getList("$").size());
        }
    }

    @Test
    void badInputOnTheSliceIsAProblemNotAServerError() {
        given().header("Authorization", OP).contentType("application/json")
                .body(Map.of("categoryId", 999_999, "title", "x", "sourceType", "operator_form", "sourceUserType", "operator", "shopId", 1001))
                .post("/api/listing/listings").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("UNKNOWN_CATEGORY")).body("field", equalTo("categoryId"));
        given().header("Authorization", OP).contentType("application/json")
                .body(Map.of("categoryId", 1200, "sourceType", "operator_form", "sourceUserType", "operator", "shopId", 1001))
                .post("/api/listing/listings").then().statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("title"));
        given().header("Authorization", OP).contentType("application/json").body("{\"categoryId\": 1200, \"title\": ")
                .post("/api/listing/listings").then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void aPoisonEventEndsInTheDeadLetterTopicAndMaintenanceListsIt() throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = Fleet.producer()) {
            ProducerRecord<String, byte[]> poison = new ProducerRecord<>("listing.lifecycle", "poison-" + eventId,
                    "definitely not protobuf".getBytes(StandardCharsets.UTF_8));
            poison.headers().add("event_id", eventId.getBytes(StandardCharsets.UTF_8));
            producer.send(poison).get();
        }
        Fleet.await("maintenance-service lists the dead letter", () -> given().header("Authorization", ADMIN)
                .queryParam("topic", "listing.lifecycle.dlq").queryParam("size", 200)
                .get("/api/maintenance/dead-letters").jsonPath().getList("items.eventId").contains(eventId));
        assertEquals(0, Fleet.count("SELECT count(*) FROM audit.processed_event WHERE event_id = ?", eventId),
                "a failed event is not marked processed");
    }

    private static double duplicatesSeenByAudit() {
        String metrics = given().get("http://127.0.0.1:7082/q/metrics").asString();
        Matcher m = Pattern.compile("marketops_events_consumed_total\\{[^}]*consumer=\"audit-lifecycle-history\"[^}]*outcome=\"duplicate\"[^}]*\\} ([0-9.eE+]+)")
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
