package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A replica with its worker switched off (deploy/helm sets MARKETOPS_WORKERS_..._ENABLED=false
 * per Deployment) opens no consumer on the worker's topics: the records of a .dlq topic go to
 * the group's other member and this replica stores none of them, while its API stays up.
 */
@QuarkusTest
@TestProfile(WorkerSwitchTest.DeadLetterWorkerOff.class)
class WorkerSwitchTest {

    static final String GROUP = "maintenance-dlq-switch-test";

    public static class DeadLetterWorkerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("marketops.workers.dead-letter-queue-worker.enabled", "false",
                    "%test.mp.messaging.incoming.dead-letters.group.id", GROUP);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "mp.messaging.incoming.dead-letters.group.id")
    String groupId;
    @Inject
    io.agroal.api.AgroalDataSource ds;

    @Test
    void aReplicaWithTheDeadLetterWorkerOffDoesNotConsumeDlqTopics() throws Exception {
        assertEquals(GROUP, groupId);
        String id = UUID.randomUUID().toString();
        String dlq = "maint.switch." + id + ".dlq";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(dlq, 3, (short) 1))).all().get();
            try {
                // given three dead letters on a topic the worker's pattern (.*\.dlq) matches
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 3; i++) {
                        ProducerRecord<String, byte[]> r = new ProducerRecord<>(dlq, i, "k" + i, bytes("payload-" + i));
                        r.headers().add("event_id", bytes("evt-" + id + "-" + i));
                        producer.send(r).get();
                    }
                }
                // when another member joins the replica's consumer group and reads the topic
                String clientId = "switch-test-" + id;
                List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                        ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(dlq));
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (got.size() < 3 && System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                    }
                    // then it gets every partition and all three records: nobody else is in the group
                    assertEquals(3, got.size(), "records read by the test member");
                    assertEquals(3, consumer.assignment().size(), "partitions assigned to the test member");
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                    List<String> members = group.members().stream().map(MemberDescription::clientId).toList();
                    assertEquals(List.of(clientId), members, "members of " + GROUP);
                }
                // and the replica stored none of them, while its API answers
                try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM dlq_record WHERE topic = ?")) {
                    ps.setString(1, dlq);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getInt(1));
                    }
                }
                given().get("/q/health/ready").then().statusCode(200);
            } finally {
                admin.deleteTopics(Set.of(dlq)).all().get();
                try {
                    admin.deleteConsumerGroups(List.of(GROUP)).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // still has a member only if the switch failed: the assertion above says so
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
