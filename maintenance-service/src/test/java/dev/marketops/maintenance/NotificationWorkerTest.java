package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.marketops.maintenance.notification.WebhookDeliverer;
import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.events.OperationBatchCompletedEvent;
import dev.marketops.proto.events.SupplierSyncEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A user is told in the inbox when their batch finishes and when their listing is rejected (the
 * events as batch-operation-service and listing-service publish them, through Kafka); a webhook
 * receiver started here refuses the first delivery and then sees the signed event exactly once.
 */
@QuarkusTest
class NotificationWorkerTest {

    static final String SECRET = "a-shared-secret-of-the-receiver";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource ds;
    @Inject
    WebhookDeliverer deliverer;

    record Received(String eventId, String signature, String body, int answered) {
    }

    @Test
    void theOwnerIsNotifiedAndTheWebhookGetsTheSignedEventOnceDespiteAFailedFirstDelivery() throws Exception {
        long owner = 7_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        long batchId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        long taskId = batchId + 1;
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // the first delivery of all fails, as a receiver that is down for a moment would
            int status = calls.incrementAndGet() == 1 ? 503 : 204;
            received.add(new Received(ex.getRequestHeaders().getFirst(WebhookDeliverer.EVENT_HEADER),
                    ex.getRequestHeaders().getFirst(WebhookDeliverer.SIGNATURE_HEADER), body, status));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        String hookId = null;
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            hookId = given().header("Authorization", Tokens.bearer("operator", 71)).contentType(ContentType.JSON)
                    .body(Map.of("url", url, "secret", SECRET, "kinds", List.of("batch.partial_success")))
                    .post("/webhooks").then().statusCode(201).extract().jsonPath().getString("id");

            String batchEvent = UUID.randomUUID().toString();
            String rejectEvent = UUID.randomUUID().toString();
            OperationBatchCompletedEvent done = OperationBatchCompletedEvent.newBuilder().setEventId(batchEvent)
                    .setTimestamp(System.currentTimeMillis()).setBatchId(batchId).setBatchCode("PRICE_20311201_" + batchId)
                    .setOperationType("price_adjust").setStatus("partial_success").setTotalCount(10).setSuccessCount(9)
                    .setFailedCount(1).setCreatedBy(owner).setCreatedByType("operator").build();
            ListingEvent rejected = ListingEvent.newBuilder().setEventId(rejectEvent).setEventType("rejected")
                    .setTimestamp(System.currentTimeMillis()).setTaskId(taskId).setTaskCode("LT" + taskId).setTitle("Concert night")
                    .setOwnerId(owner).setOperatorId(72).build();
            ensureTopics("operation.batch.completed", "listing.rejected");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                // the batch event twice (a redelivery after a publisher crash): one notice, one delivery
                for (int i = 0; i < 2; i++) {
                    producer.send(record("operation.batch.completed", batchId, batchEvent, done.toByteArray())).get();
                }
                producer.send(record("listing.rejected", taskId, rejectEvent, rejected.toByteArray())).get();
            }

            await(() -> inbox(owner).getList("items").size() == 2, "both notices in the owner's inbox");
            JsonPath inbox = inbox(owner);
            assertEquals(List.of("listing.rejected", "batch.partial_success"), inbox.getList("items.kind"));
            assertEquals(String.valueOf(taskId), inbox.getString("items[0].subjectId"));
            assertEquals(String.valueOf(batchId), inbox.getString("items[1].subjectId"));
            assertTrue(inbox.getString("items[1].body").contains("9 of 10 rows succeeded"), inbox.prettify());
            assertEquals(2, inbox.getLong("unread"));
            // nobody else sees them, nor can mark them read
            assertEquals(0, inbox(owner + 1).getList("items").size());
            String first = inbox.getString("items[0].id");
            given().header("Authorization", Tokens.bearer("merchant", owner + 1)).post("/notifications/" + first + "/read")
                    .then().statusCode(404).body("code", org.hamcrest.Matchers.equalTo("NOTIFICATION_NOT_FOUND"));
            given().header("Authorization", Tokens.bearer("auditor", owner)).post("/notifications/" + first + "/read")
                    .then().statusCode(200).body("marked", org.hamcrest.Matchers.equalTo(1));
            JsonPath unread = given().header("Authorization", Tokens.bearer("auditor", owner)).queryParam("unread", true)
                    .get("/notifications").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("batch.partial_success"), unread.getList("items.kind"));
            assertEquals(1, unread.getLong("unread"));

            // the webhook: refused once, then accepted; the accepted copy is signed with the shared secret
            long subscription = Long.parseLong(hookId);
            await(() -> delivery(subscription, batchEvent).equals("delivered"), "the webhook delivery is accepted");
            List<Received> mine = received.stream().filter(r -> batchEvent.equals(r.eventId())).toList();
            assertEquals(List.of(503, 204), mine.stream().map(Received::answered).toList());
            Received ok = mine.get(1);
            assertEquals("sha256=" + WebhookDeliverer.sign(SECRET, ok.body()), ok.signature());
            JsonPath body = new JsonPath(ok.body());
            assertEquals(batchEvent, body.getString("eventId"));
            assertEquals(String.valueOf(owner), body.getString("userId"));
            assertEquals("batch.partial_success", body.getString("kind"));
            // a delivered event is not sent again; the rejection was not subscribed to
            deliverer.deliverDue();
            assertEquals(2, received.stream().filter(r -> batchEvent.equals(r.eventId())).count());
            assertEquals(0, received.stream().filter(r -> rejectEvent.equals(r.eventId())).count());
            assertEquals(Set.of(batchEvent), Set.copyOf(received.stream().map(Received::eventId).toList()));
        } finally {
            receiver.stop(0);
            if (hookId != null) {
                given().header("Authorization", Tokens.bearer("admin", 73)).delete("/webhooks/" + hookId).then().statusCode(204);
            }
        }
    }

    /**
     * A watchdog escalation (as listing-service's WatchdogWorker publishes it) reaches every operator's
     * inbox once, and a supplier's failing pull (as supplier-sync-service publishes it) every supplier
     * admin's: when it starts failing, not at each retry; nobody else's.
     */
    @Test
    void anEscalationIsToldToTheOperatorsAndAFailingSupplierToTheSupplierAdminsOnceEach() throws Exception {
        long taskId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        String supplier = "NOTIFY_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        long operator = 8_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        long supplierAdmin = operator + 1;
        ListingEvent escalated = ListingEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType("escalated")
                .setTimestamp(System.currentTimeMillis()).setTaskId(taskId).setTaskCode("LT" + taskId).setTitle("Harbour cruise")
                .setCategoryId(1200).setFromStatus(10).setToStatus(10).setAction("watchdog").setOwnerId(501)
                .setSubStatus("audit_timeout").setReason("stuck in PENDING_AUDIT past its timeout after 3 retries").build();
        ensureTopics("listing.task.escalated", "supplier.sync.failed");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.send(record("listing.task.escalated", taskId, escalated.getEventId(), escalated.toByteArray())).get();
            // the supplier's pull fails twice in a row: the first is news, the retry's failure is not
            for (int failures = 1; failures <= 2; failures++) {
                SupplierSyncEvent failed = SupplierSyncEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setTimestamp(System.currentTimeMillis()).setEventType("pull_failed").setSupplierCode(supplier)
                        .setCategoryCode("HOTEL").setSyncMode("pull").setChannel("pull").setReasonCode("TIMEOUT")
                        .setReason("TIMEOUT: request timed out").setConsecutiveFailures(failures)
                        .setNextAttemptAt(System.currentTimeMillis() + 2000L * failures).setLagSeconds(-1).build();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>("supplier.sync.failed", supplier, failed.toByteArray());
                r.headers().add(OutboxPublisher.HEADER_EVENT_ID, failed.getEventId().getBytes(StandardCharsets.UTF_8));
                producer.send(r).get();
            }
        }

        await(() -> !about(inbox("operator", operator), "listing_task", String.valueOf(taskId)).isEmpty(),
                "the escalation in an operator's inbox");
        await(() -> !about(inbox("supplier_admin", supplierAdmin), "supplier", supplier).isEmpty(),
                "the supplier's failure in a supplier admin's inbox");
        Thread.sleep(1500); // time for the second failure to have been consumed (it must not add a notice)

        List<Map<String, Object>> escalation = about(inbox("operator", operator), "listing_task", String.valueOf(taskId));
        assertEquals(1, escalation.size(), escalation.toString());
        assertEquals("listing.escalated", escalation.get(0).get("kind"));
        assertTrue(String.valueOf(escalation.get(0).get("title")).contains("audit_timeout"), escalation.toString());
        List<Map<String, Object>> failing = about(inbox("supplier_admin", supplierAdmin), "supplier", supplier);
        assertEquals(1, failing.size(), failing.toString());
        assertEquals("supplier.sync_failed", failing.get(0).get("kind"));
        assertTrue(String.valueOf(failing.get(0).get("body")).contains("TIMEOUT"), failing.toString());
        // another operator gets it too, once however often the inbox is opened; other roles do not
        assertEquals(1, about(inbox("operator", operator + 2), "listing_task", String.valueOf(taskId)).size());
        assertEquals(1, about(inbox("operator", operator + 2), "listing_task", String.valueOf(taskId)).size());
        assertEquals(0, about(inbox("operator", operator), "supplier", supplier).size());
        assertEquals(0, about(inbox("supplier_admin", supplierAdmin), "listing_task", String.valueOf(taskId)).size());
        assertEquals(0, about(inbox("merchant", 501), "listing_task", String.valueOf(taskId)).size());
        // read by one operator, still unread for the other
        String id = String.valueOf(escalation.get(0).get("id"));
        given().header("Authorization", Tokens.bearer("operator", operator)).post("/notifications/" + id + "/read")
                .then().statusCode(200).body("marked", org.hamcrest.Matchers.equalTo(1));
        assertEquals(null, about(inbox("operator", operator + 2), "listing_task", String.valueOf(taskId)).get(0).get("readAt"));
    }

    @Test
    void webhooksAreForOperatorsAndAdminsAndCheckTheirInput() {
        given().header("Authorization", Tokens.bearer("merchant", 74)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:1/x", "kinds", List.of("listing.rejected"))).post("/webhooks")
                .then().statusCode(403);
        given().header("Authorization", Tokens.bearer("operator", 74)).contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://example.com/x", "kinds", List.of("listing.rejected"))).post("/webhooks")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_FIELD"));
        given().header("Authorization", Tokens.bearer("operator", 74)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:1/x", "kinds", List.of("price.changed"))).post("/webhooks")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_FIELD"));
        given().get("/notifications").then().statusCode(401);
    }

    private static ProducerRecord<String, byte[]> record(String topic, long key, String eventId, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, Long.toString(key), value);
        r.headers().add(OutboxPublisher.HEADER_EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private void ensureTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String n : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(n, 1, (short) 1))).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The inbox of a user whose role gets no role notices (an auditor), so only what was sent to them personally. */
    private static JsonPath inbox(long user) {
        return inbox("auditor", user);
    }

    private static JsonPath inbox(String role, long user) {
        return given().header("Authorization", Tokens.bearer(role, user)).queryParam("limit", 200).get("/notifications")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The notifications of the inbox about one subject. */
    private static List<Map<String, Object>> about(JsonPath inbox, String subjectType, String subjectId) {
        List<Map<String, Object>> items = inbox.getList("items");
        return items.stream().filter(i -> subjectType.equals(i.get("subjectType")) && subjectId.equals(i.get("subjectId"))).toList();
    }

    private String delivery(long subscription, String eventId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM webhook_delivery WHERE subscription_id = ? AND event_id = ?")) {
            ps.setLong(1, subscription);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "none";
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition the consumer and the deliverer make true in the background (Kafka, HTTP). */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
