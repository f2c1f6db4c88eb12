package dev.marketops.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.services.AuditQueriesGrpc;
import dev.marketops.proto.services.AuditRecordList;
import dev.marketops.proto.services.TaskRef;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class LifecycleHistoryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    MeterRegistry meters;
    @GrpcClient("audit-self")
    AuditQueriesGrpc.AuditQueriesBlockingStub grpc;

    @Test
    void anEventIsRecordedOnceWithItsCategoryNameEvenWhenRedelivered() throws Exception {
        long taskId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        String eventId = UUID.randomUUID().toString();
        ListingEvent event = ListingEvent.newBuilder().setEventId(eventId).setEventType("created")
                .setTimestamp(System.currentTimeMillis()).setTaskId(taskId).setTaskCode("LT" + taskId)
                .setCategoryId(2100).setSourceType("supplier_pull").setFromStatus(-1).setToStatus(0)
                .setAction("create").build();
        double duplicatesBefore = duplicates();

        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "listing.lifecycle", taskId, eventId, event.toByteArray());
            await(() -> staff().queryParam("taskId", taskId).get("/listing-events").jsonPath().getList("$").size() == 1,
                    "the event is recorded");
            staff().queryParam("taskId", taskId).get("/listing-events").then().statusCode(200)
                    .body("[0].categoryName", equalTo("Hotel")).body("[0].eventType", equalTo("created"))
                    .body("[0].fromStatus", equalTo(null)).body("[0].toStatus", equalTo(0));

            // Kafka redelivers (the same record again): the consumer sees it and applies nothing.
            send(producer, "listing.lifecycle", taskId, eventId, event.toByteArray());
            await(() -> duplicates() > duplicatesBefore, "the redelivered event reached the consumer");
        }
        AuditRecordList viaGrpc = grpc.listAuditRecords(TaskRef.newBuilder().setTaskId(taskId).build());
        assertEquals(1, viaGrpc.getRecordsCount());
        assertEquals("Hotel", viaGrpc.getRecords(0).getCategoryName());
    }

    @Test
    void anEventThatCannotBeReadGoesToTheDeadLetterTopicAfterRetries() throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> dlq = consumer("listing.lifecycle.dlq");
             KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "listing.lifecycle", 7L, eventId, "not a protobuf message".getBytes(StandardCharsets.UTF_8));
            ConsumerRecord<String, byte[]> dead = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (dead == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (r.headers().lastHeader("event_id") != null
                            && eventId.equals(new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8))) {
                        dead = r;
                    }
                }
            }
            assertTrue(dead != null, "poison event dead-lettered within 30 s");
            assertEquals("not a protobuf message", new String(dead.value(), StandardCharsets.UTF_8));
            assertTrue(dead.headers().lastHeader("dead-letter-reason") != null, "the reason travels with it");
        }
    }

    /** An operator: staff read every task's history without asking listing-service who owns it. */
    private static RequestSpecification staff() {
        return given().header("Authorization", Tokens.bearer("operator", 7));
    }

    @Test
    void historyNeedsAVerifiedCallerWithListingRead() {
        given().queryParam("taskId", 1).get("/listing-events").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", Tokens.bearer("supplier_admin", 7)).queryParam("taskId", 1).get("/listing-events")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("auditor", 7)).queryParam("taskId", 1).get("/listing-events")
                .then().statusCode(200);
    }

    @Test
    void askingForHistoryWithoutATaskIsAProblem() {
        staff().get("/listing-events").then().statusCode(400).body("code", equalTo("MISSING_FIELD"))
                .body("field", equalTo("taskId"));
    }

    private double duplicates() {
        var c = meters.find("marketops_events_consumed_total").tag("consumer", "audit-lifecycle-history")
                .tag("outcome", "duplicate").counter();
        return c == null ? 0 : c.count();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, long key, String eventId, byte[] value)
            throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, Long.toString(key), value);
        r.headers().add(OutboxPublisher.HEADER_EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        producer.send(r).get();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
