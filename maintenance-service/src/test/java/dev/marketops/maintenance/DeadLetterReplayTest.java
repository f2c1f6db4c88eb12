package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A dead letter is replayed to its original topic with its key and original headers, so the
 * idempotent consumer there applies it once however often it is replayed; a discarded one
 * (with its reason) is not replayed; counts say how many per topic, error and status.
 */
@QuarkusTest
class DeadLetterReplayTest {

    static final String DLQ = ReplayProbe.TOPIC + ".dlq";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    ReplayProbe probe;

    @Test
    void aDeadLetterReplayedOnceAppliesOnceAndReplayedTwiceStillOnce() throws Exception {
        // given a dead letter of the probe topic (its consumer failed on it), with the original headers
        String eventId = "evt-" + UUID.randomUUID();
        createTopics();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(DLQ, "item-42", bytes("payload"));
            r.headers().add("event_id", bytes(eventId)).add("event_type", bytes("PriceChanged")).add("trace", bytes("t-1"))
                    .add("dead-letter-reason", bytes("price service down")).add("dead-letter-topic", bytes(ReplayProbe.TOPIC))
                    .add("dead-letter-partition", bytes("0")).add("dead-letter-offset", bytes("7"));
            producer.send(r).get();
        }
        await("the dead letter is stored", () -> admin().queryParam("topic", DLQ).queryParam("size", 100).get("/dead-letters")
                .jsonPath().getList("items.eventId").contains(eventId));
        long id = admin().queryParam("topic", DLQ).queryParam("size", 100).get("/dead-letters").jsonPath()
                .getLong("items.find { it.eventId == '" + eventId + "' }.id");
        admin().get("/dead-letters/" + id).then().statusCode(200).body("replayTopic", equalTo(ReplayProbe.TOPIC))
                .body("headers.key", equalTo(List.of("event_id", "event_type", "trace")))
                .body("headers.find { it.key == 'trace' }.text", equalTo("t-1"));

        // when it is replayed once, then the consumer applies it once
        admin().post("/dead-letters/" + id + "/replay").then().statusCode(200)
                .body("replayed[0].id", equalTo(String.valueOf(id))).body("replayed[0].topic", equalTo(ReplayProbe.TOPIC));
        await("the replay is consumed", () -> probe.delivered(eventId) == 1);
        assertEquals(1, probe.applied(eventId));

        // when it is replayed again (as a selection), then it is delivered again and still applied once
        admin().contentType("application/json").body(Map.of("ids", List.of(String.valueOf(id))))
                .post("/dead-letters/replay").then().statusCode(200).body("replayed.id", equalTo(List.of(String.valueOf(id))));
        await("the second replay is consumed", () -> probe.delivered(eventId) == 2);
        assertEquals(1, probe.applied(eventId), "a replayed event already applied has no second effect");
        admin().get("/dead-letters/" + id).then().body("replayCount", equalTo(2)).body("deadLetter.status", equalTo("replayed"));

        // when it is discarded, a reason is needed, and it can no longer be replayed
        admin().contentType("application/json").body(Map.of()).post("/dead-letters/" + id + "/discard").then().statusCode(400);
        admin().contentType("application/json").body(Map.of("reason", "superseded by a newer price"))
                .post("/dead-letters/" + id + "/discard").then().statusCode(200)
                .body("deadLetter.status", equalTo("discarded")).body("discardReason", equalTo("superseded by a newer price"));
        admin().post("/dead-letters/" + id + "/replay").then().statusCode(409).body("code", equalTo("DISCARDED"));

        // and counts by topic and error say so; filters find it by its original topic and error
        JsonPath counts = admin().get("/dead-letters/counts").then().statusCode(200).extract().jsonPath();
        Map<String, Object> mine = counts.getMap("find { it.topic == '" + DLQ + "' && it.reason == 'price service down'"
                + " && it.status == 'discarded' }");
        assertEquals(ReplayProbe.TOPIC, mine.get("originalTopic"));
        admin().queryParam("originalTopic", ReplayProbe.TOPIC).queryParam("reason", "service down").queryParam("size", 100)
                .get("/dead-letters").then().statusCode(200).body("items.eventId", hasItem(eventId));
        admin().post("/dead-letters/" + (id + 1_000_000_000L) + "/replay").then().statusCode(404);
        given().header("Authorization", Tokens.bearer("operator", 7)).post("/dead-letters/" + id + "/replay")
                .then().statusCode(403);
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String t : List.of(ReplayProbe.TOPIC, DLQ)) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer("admin", 7));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after 30 s waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
