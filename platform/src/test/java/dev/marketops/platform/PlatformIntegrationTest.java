package dev.marketops.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.outbox.OutboxPublisher;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The platform's parts against the real PostgreSQL and Kafka started by deploy/local/infra.sh. */
@QuarkusTest
class PlatformIntegrationTest {

    @Inject
    Outbox outbox;
    @Inject
    EventConsumer consumer;
    @Inject
    ClusterSingleton singleton;
    @Inject
    AgroalDataSource ds;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void committedOutboxEventsReachKafkaInOrderAndRolledBackOnesNever() throws Exception {
        String topic = "platform.test." + UUID.randomUUID();
        String key = "task-1";
        List<String> committed = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        String rolledBack = UUID.randomUUID().toString();

        try (KafkaConsumer<String, byte[]> kafka = consumerOf(topic)) {
            QuarkusTransaction.requiringNew().run(() -> {
                for (String id : committed) {
                    outbox.enqueue(topic, key, "created", id, StringValue.of("payload-" + id));
                }
            });
            assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
                outbox.enqueue(topic, key, "created", rolledBack, StringValue.of("never"));
                throw new IllegalStateException("business rule failed after the event was written");
            }));

            List<ConsumerRecord<String, byte[]>> received = poll(kafka, 3, Duration.ofSeconds(20));
            List<String> ids = received.stream().map(EventConsumer::eventId).toList();
            assertEquals(committed, ids, "all committed events, in commit order, and nothing else");
            assertEquals("payload-" + committed.get(0),
                    StringValue.parseFrom(received.get(0).value()).getValue());
            assertEquals("created", new String(received.get(0).headers()
                    .lastHeader(OutboxPublisher.HEADER_EVENT_TYPE).value(), StandardCharsets.UTF_8));
            assertTrue(poll(kafka, 1, Duration.ofSeconds(2)).isEmpty(), "the rolled-back event must not be sent");
        }
        // The publisher marks the rows once Kafka acknowledged them.
        long deadline = System.currentTimeMillis() + 5_000;
        long unsent;
        do {
            unsent = count("SELECT count(*) FROM outbox_event WHERE topic = '" + topic + "' AND sent_at IS NULL");
        } while (unsent > 0 && System.currentTimeMillis() < deadline);
        assertEquals(0, unsent);
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE event_id = '" + rolledBack + "'"));
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    /**
     * A commit that wrote to the outbox wakes the publisher once (not once per event), so the
     * event does not wait out the publisher's idle back-off; a rolled-back transaction does not.
     */
    @Test
    void aCommitThatWroteToTheOutboxWakesThePublisherOnceAndARollbackDoesNot() {
        String topic = "platform.test." + UUID.randomUUID();
        double before = wakeups();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 3; i++) {
                outbox.enqueue(topic, "k", "created", UUID.randomUUID().toString(), StringValue.of("p" + i));
            }
        });
        assertEquals(before + 1, wakeups(), "one wake-up for the transaction's three events");
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.enqueue(topic, "k", "created", UUID.randomUUID().toString(), StringValue.of("never"));
            throw new IllegalStateException("rolled back");
        }));
        QuarkusTransaction.requiringNew().run(() -> count("SELECT 1")); // a commit without outbox rows
        assertEquals(before + 1, wakeups(), "neither the rollback nor a commit without events wakes it");
    }

    private double wakeups() {
        return meters.counter("marketops_outbox_wakeups_total").count();
    }

    @Test
    void aRedeliveredEventHasNoSecondEffect() {
        String eventId = UUID.randomUUID().toString();
        ConsumerRecord<String, byte[]> record = record(eventId, "hello");
        long before = count("SELECT count(*) FROM applied_change");

        assertEquals(EventConsumer.Outcome.APPLIED, consumer.process("test-consumer", record, this::apply));
        assertEquals(EventConsumer.Outcome.DUPLICATE, consumer.process("test-consumer", record, this::apply));
        assertEquals(before + 1, count("SELECT count(*) FROM applied_change"));
        // Another consumer of the same event keeps its own bookkeeping.
        assertEquals(EventConsumer.Outcome.APPLIED, consumer.process("other-consumer", record, this::apply));
    }

    @Test
    void aFailingHandlerIsRetriedThenRethrownWithNothingHalfWritten() {
        String eventId = UUID.randomUUID().toString();
        AtomicInteger attempts = new AtomicInteger();
        long before = count("SELECT count(*) FROM applied_change");

        assertThrows(RuntimeException.class, () -> consumer.process("test-consumer", record(eventId, "x"), r -> {
            attempts.incrementAndGet();
            apply(r);
            throw new IllegalStateException("downstream refused");
        }));
        assertEquals(3, attempts.get(), "bounded retries");
        assertEquals(before, count("SELECT count(*) FROM applied_change"), "each attempt rolled back");
        assertEquals(0, count("SELECT count(*) FROM processed_event WHERE event_id = '" + eventId + "'"),
                "a failed event is not marked processed, so the DLQ copy can be replayed");

        // A transient failure that clears on the second attempt is applied exactly once.
        AtomicInteger flaky = new AtomicInteger();
        String second = UUID.randomUUID().toString();
        assertEquals(EventConsumer.Outcome.APPLIED, consumer.process("test-consumer", record(second, "y"), r -> {
            apply(r);
            if (flaky.incrementAndGet() == 1) {
                throw new IllegalStateException("transient");
            }
        }));
        assertEquals(before + 1, count("SELECT count(*) FROM applied_change"));
    }

    @Test
    void aClusterSingletonJobRunsOnceWhileAnotherHolderRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ClusterSingleton.RunResult> first = pool.submit(() -> singleton.runIfLeader("test-job", () -> {
                started.countDown();
                await(release);
            }));
            started.await();
            AtomicInteger secondRan = new AtomicInteger();
            ClusterSingleton.RunResult second = pool.submit(
                    () -> singleton.runIfLeader("test-job", secondRan::incrementAndGet)).get();
            assertEquals(ClusterSingleton.RunResult.SKIPPED_ANOTHER_NODE_RUNS, second);
            assertEquals(0, secondRan.get());
            release.countDown();
            assertEquals(ClusterSingleton.RunResult.RAN, first.get());
            // Once released, the next run takes the lock again.
            assertEquals(ClusterSingleton.RunResult.RAN, singleton.runIfLeader("test-job", () -> { }));
        } finally {
            pool.shutdownNow();
        }
        assertTrue(count("SELECT count(*) FROM job_run WHERE job_name = 'test-job' AND outcome = 'succeeded'") >= 2);
    }

    @Test
    void errorsAreProblemDetailsWithStableCodes() {
        given().header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 7)).get("/test-problems/conflict").then().statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("STALE_VERSION"))
                .body("currentVersion", equalTo(4))
                .body("instance", equalTo("/test-problems/conflict"));
        given().header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 7)).get("/test-problems/boom").then().statusCode(500)
                .body("code", equalTo("INTERNAL_ERROR"))
                .body("detail", not(containsString("secret")));
        given().header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 7)).contentType("application/json").body("{\"name\": \"a\", ").post("/test-problems").then()
                .statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        given().header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 7)).contentType("application/json").body("{\"name\": \"a\", \"count\": \"many\"}").post("/test-problems")
                .then().statusCode(400).body("code", equalTo("INVALID_FIELD_TYPE")).body("field", equalTo("count"));
        given().header("Authorization", dev.marketops.platform.testing.Tokens.bearer("operator", 7)).get("/no-such-path").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    private void apply(ConsumerRecord<String, byte[]> r) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO applied_change (payload) VALUES (?)")) {
            ps.setString(1, new String(r.value(), StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
    }

    private static ConsumerRecord<String, byte[]> record(String eventId, String payload) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("t", 0, 0, "k", payload.getBytes(StandardCharsets.UTF_8));
        r.headers().add(OutboxPublisher.HEADER_EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private long count(String sql) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private KafkaConsumer<String, byte[]> consumerOf(String topic) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "platform-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    private static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> c, int want, Duration max) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + max.toMillis();
        while (out.size() < want && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
