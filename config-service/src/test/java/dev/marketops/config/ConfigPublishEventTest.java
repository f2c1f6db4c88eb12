package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.attribute;
import static dev.marketops.config.ConfigFixtures.auditRow;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static dev.marketops.config.ConfigFixtures.postAttribute;
import static dev.marketops.config.ConfigFixtures.postAuditRow;
import static dev.marketops.config.ConfigFixtures.publishedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.marketops.config.ConfigFixtures.OutboxRow;
import dev.marketops.proto.events.ConfigPublishEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every configuration change is announced on config.publish, keyed by the category, from the outbox. */
@QuarkusTest
class ConfigPublishEventTest {

    private static final long MOVIE = 3100;

    @Inject
    AgroalDataSource db;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static ConfigPublishEvent decode(OutboxRow row) {
        try {
            return ConfigPublishEvent.parseFrom(row.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eachKindOfChangeWritesAnEventForItsCategory() {
        // when an operator creates a category, then gives it an attribute and an audit row, and edits and removes them
        long category = createCategory("PUBLISHED", "Publish scenarios", MOVIE);
        postAttribute(category, attribute("hall")).statusCode(201);
        long configId = postAuditRow(auditRow(category, "api", null, "auto")).statusCode(201)
                .extract().jsonPath().getLong("configId");
        admin().contentType("application/json").body(Map.of("version", 0, "auditStrategy", "manual"))
                .put("/audit-configs/" + configId).then().statusCode(200);
        admin().delete("/categories/" + category + "/attributes/hall").then().statusCode(200);

        // then the outbox holds one event per change, all keyed and identified by the category
        List<OutboxRow> rows = publishedFor(db, category);
        assertEquals(List.of("category.created", "category_attribute.created", "audit_config.created",
                "audit_config.updated", "category_attribute.deactivated"), rows.stream().map(OutboxRow::eventType).toList());
        assertEquals(List.of("category", "category_attribute", "audit_config", "audit_config", "category_attribute"),
                rows.stream().map(r -> decode(r).getConfigType()).toList());
        rows.forEach(r -> {
            assertEquals(category, decode(r).getConfigId());
            assertEquals(r.eventId(), decode(r).getEventId());
        });

        // and a deactivation that changes nothing announces nothing
        admin().delete("/categories/" + category + "/attributes/hall").then().statusCode(200);
        assertEquals(5, publishedFor(db, category).size());
    }

    @Test
    void theEventReachesTheConfigPublishTopic() {
        long category = createCategory("KAFKA", "Kafka scenario", MOVIE);
        postAttribute(category, attribute("seat_number")).statusCode(201);
        String eventId = publishedFor(db, category).getLast().eventId();

        ConsumerRecord<String, byte[]> record = consumeUntil(eventId, Duration.ofSeconds(30));

        assertEquals(Long.toString(category), record.key());
        assertEquals("category_attribute.created", header(record, "event_type"));
        assertEquals(category, decodeBytes(record.value()).getConfigId());
        assertTrue(publishedFor(db, category).getLast().sent(), "the outbox row is marked sent");
    }

    private ConsumerRecord<String, byte[]> consumeUntil(String eventId, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "config-service-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("config.publish"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (eventId.equals(header(r, "event_id"))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("event " + eventId + " did not reach config.publish within " + timeout);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static ConfigPublishEvent decodeBytes(byte[] bytes) {
        try {
            return ConfigPublishEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
