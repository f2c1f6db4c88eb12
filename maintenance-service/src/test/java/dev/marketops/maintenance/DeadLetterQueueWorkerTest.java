package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.maintenance.deadletter.DeadLetterQueueWorker;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeadLetterQueueWorkerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "mp.messaging.incoming.dead-letters.group.id")
    String groupId;

    @Inject
    io.agroal.api.AgroalDataSource ds;
    @Inject
    DeadLetterQueueWorker worker;

    @Test
    void recordsOfAnyDlqTopicAreStoredOnceWithWhatTheirHeadersSay() throws Exception {
        // given a fresh .dlq topic, and a look-alike topic the pattern must not match
        String id = UUID.randomUUID().toString();
        String dlq = "maint.test." + id + ".dlq";
        String lookAlike = "maint-test-" + id + "-dlq";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(dlq, 2, (short) 1), new NewTopic(lookAlike, 1, (short) 1))).all().get();
            try {
                produceAndCheck(id, dlq, lookAlike);
                // and, once stored, their offsets are committed, so a restart does not read them again
                assertEquals(3, awaitCommitted(admin, dlq, 3, Duration.ofSeconds(20)));
            } finally {
                // the broker is shared with other suites: leave no test topics behind
                admin.deleteTopics(List.of(dlq, lookAlike)).all().get();
            }
        }
    }

    private void produceAndCheck(String id, String dlq, String lookAlike) throws Exception {
        // when three dead letters and one look-alike record are produced
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(lookAlike, "k", bytes("not a dead letter"))).get();
            for (int i = 0; i < 3; i++) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(dlq, "item-" + i, bytes("payload-" + i));
                r.headers().add("event_id", bytes("evt-" + id + "-" + i))
                        .add("event_type", bytes("PriceChanged"))
                        .add("dead-letter-reason", bytes("price must be positive"))
                        .add("dead-letter-cause", bytes("IllegalArgumentException"))
                        .add("dead-letter-topic", bytes("maint.test." + id))
                        .add("dead-letter-partition", bytes("0"))
                        .add("dead-letter-offset", bytes(String.valueOf(40 + i)));
                producer.send(r).get();
            }
        }

        // then within 30 s exactly the three are listed, with their headers and payload
        JsonPath page = awaitTotal(dlq, 3, Duration.ofSeconds(30));
        assertEquals(3, page.getInt("total"));
        List<String> eventIds = page.getList("items.eventId");
        assertTrue(eventIds.containsAll(List.of("evt-" + id + "-0", "evt-" + id + "-1", "evt-" + id + "-2")), eventIds.toString());
        Map<String, Object> first = page.getMap("items.find { it.eventId == 'evt-" + id + "-0' }");
        assertEquals("PriceChanged", first.get("eventType"));
        assertEquals("price must be positive", first.get("reason"));
        assertEquals("IllegalArgumentException", first.get("cause"));
        assertEquals("maint.test." + id, first.get("originalTopic"));
        assertEquals(40, first.get("originalOffset"));
        assertEquals("item-0", first.get("key"));
        assertEquals("new", first.get("status"));
        assertEquals("payload-0", new String(Base64.getDecoder().decode((String) first.get("payloadBase64")), StandardCharsets.UTF_8));
        // and the look-alike topic was not subscribed ("." in the pattern is a literal dot)
        admin().queryParam("topic", lookAlike).get("/dead-letters").then().body("total", equalTo(0));

        // when the same record is delivered again (same topic, partition, offset and timestamp)
        int partition = (Integer) first.get("partition");
        long offset = ((Number) first.get("offset")).longValue();
        long timestamp;
        try (var c = ds.getConnection(); var ps = c.prepareStatement(
                "SELECT record_timestamp FROM dlq_record WHERE topic = ? AND partition = ? AND record_offset = ?")) {
            ps.setString(1, dlq);
            ps.setInt(2, partition);
            ps.setLong(3, offset);
            try (var rs = ps.executeQuery()) {
                rs.next();
                timestamp = rs.getTimestamp(1).getTime();
            }
        }
        ConsumerRecord<String, byte[]> again = new ConsumerRecord<>(dlq, partition, offset, timestamp,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, "item-0", bytes("payload-0"),
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
        worker.store(again);

        // then it has no second effect
        admin().queryParam("topic", dlq).get("/dead-letters").then().body("total", equalTo(3));
    }

    @Test
    void badListParametersAreProblemsNamingTheField() {
        admin().queryParam("status", "lost").get("/dead-letters").then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("status"));
        admin().queryParam("size", 1000).get("/dead-letters").then().statusCode(400).body("field", equalTo("size"));
        admin().queryParam("limit", 0).get("/job-runs").then().statusCode(400).body("field", equalTo("limit"));
    }

    private long awaitCommitted(Admin admin, String topic, long want, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        long committed;
        do {
            committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
            Thread.sleep(250);
        } while (committed < want && System.nanoTime() < deadline);
        return committed;
    }

    private static JsonPath awaitTotal(String topic, int want, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JsonPath page;
        do {
            page = admin().queryParam("topic", topic).get("/dead-letters").then().statusCode(200).extract().jsonPath();
            if (page.getInt("total") >= want) {
                return page;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        assertFalse(true, "only " + page.getInt("total") + " of " + want + " dead letters of " + topic + " stored within " + max);
        return page;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Dead letters are admin only; job runs need statistics rights, which admins hold too. */
    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer("admin", 7));
    }
}
