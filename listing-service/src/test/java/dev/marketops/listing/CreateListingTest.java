package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.GetTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class CreateListingTest {

    @Inject
    AgroalDataSource ds;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub grpc;

    static Map<String, Object> draft(long categoryId) {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryId", categoryId);
        body.put("title", "Hotpot for two");
        body.put("sourceType", "operator_form");
        body.put("sourceUserType", "operator");
        body.put("shopId", TestCallers.PLATFORM_SHOP);
        body.put("itemData", SampleListings.SEVEN.contains(categoryId) ? SampleListings.itemData(categoryId) : Map.of());
        return body;
    }

    @Test
    void aDraftIsStoredWithItsHistoryAndAnnouncedOnKafka() throws Exception {
        try (KafkaConsumer<String, byte[]> kafka = lifecycleConsumer()) {
            long taskId = asOperator().body(draft(1200))
                    .post("/listings").then().statusCode(201)
                    .header("Location", notNullValue())
                    .body("status", equalTo(0)).body("statusName", equalTo("DRAFT"))
                    .body("categoryId", equalTo("1200")).body("itemData.face_value", equalTo(100))
                    .extract().jsonPath().getLong("taskId");

            asOperator().get("/listings/" + taskId).then().statusCode(200).body("title", equalTo("Hotpot for two"));
            asOperator().get("/listings/" + taskId + "/history").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].action", equalTo("create")).body("[0].toStatus", equalTo(0));

            ListingEvent event = awaitEvent(kafka, taskId);
            assertEquals("created", event.getEventType());
            assertEquals(1200, event.getCategoryId());
            assertEquals("operator_form", event.getSourceType());
            assertEquals(0, event.getToStatus());
            assertEquals("LT" + taskId, event.getTaskCode());
        }
    }

    @Test
    void aRetriedCreateWithTheSameKeyReturnsTheFirstTask() {
        String key = "create-" + UUID.randomUUID();
        long first = asOperator().header("Idempotency-Key", key).body(draft(2100))
                .post("/listings").then().statusCode(201).extract().jsonPath().getLong("taskId");
        long second = asOperator().header("Idempotency-Key", key).body(draft(2100))
                .post("/listings").then().statusCode(200).header("Idempotent-Replayed", "true")
                .extract().jsonPath().getLong("taskId");
        assertEquals(first, second);
        assertEquals(1, count("SELECT count(*) FROM listing_task WHERE idempotency_key = '" + key + "'"));

        Map<String, Object> different = draft(2100);
        different.put("title", "Another hotel");
        asOperator().header("Idempotency-Key", key).body(different)
                .post("/listings").then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    }

    @Test
    void badInputIsRefusedWithAProblemAndNothingIsWritten() {
        // Other test suites share the database: count only what carries this test's marker title.
        String marker = "bad-input-" + UUID.randomUUID();
        String tasks = "SELECT count(*) FROM listing_task WHERE title = '" + marker + "'";
        String events = "SELECT count(*) FROM outbox_event WHERE position(convert_to('" + marker + "', 'UTF8') in payload) > 0 AND created_at > now() - interval '10 minutes'";

        Map<String, Object> unknownCategory = draft(987654);
        unknownCategory.put("title", marker);
        asOperator().body(unknownCategory).post("/listings").then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("UNKNOWN_CATEGORY")).body("field", equalTo("categoryId"));
        Map<String, Object> noTitle = draft(1200);
        noTitle.remove("title");
        asOperator().body(noTitle).post("/listings").then()
                .statusCode(400).body("code", equalTo("MISSING_FIELD")).body("field", equalTo("title"));
        Map<String, Object> badSource = draft(1200);
        badSource.put("title", marker);
        badSource.put("sourceType", "fax");
        asOperator().body(badSource).post("/listings").then()
                .statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("sourceType"))
                .body("value", equalTo("fax"));
        Map<String, Object> wrongType = draft(1200);
        wrongType.put("title", marker);
        wrongType.put("categoryId", "hotels");
        asOperator().body(wrongType).post("/listings").then()
                .statusCode(400).body("code", equalTo("INVALID_FIELD_TYPE")).body("field", equalTo("categoryId"));
        asOperator().body("{\"categoryId\": 1200,").post("/listings").then()
                .statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        asOperator().get("/listings/1").then().statusCode(404).body("code", equalTo("UNKNOWN_TASK"));
        asOperator().get("/listings?size=500").then().statusCode(400).body("field", equalTo("size"));

        assertEquals(0, count(tasks));
        assertEquals(0, count(events));
    }

    @Test
    void grpcCallersCreateAndReadTasksWithTheSameRules() {
        String requestId = UUID.randomUUID().toString();
        CreateTaskRequest request = CreateTaskRequest.newBuilder().setRequestId(requestId).setCategoryId(3100)
                .setTitle("Evening show").setSourceType("supplier_push").setSourceUserType("system").setShopId(TestCallers.PLATFORM_SHOP)
                .setItemDataJson("{\"show_time\": \"2027-01-01T20:00:00Z\"}").build();
        ListingTaskReply created = grpc.createTask(request);
        assertEquals("DRAFT", created.getStatusName());
        assertEquals(created.getTaskId(), grpc.createTask(request).getTaskId(), "request id makes a retry idempotent");
        assertEquals("Evening show", grpc.getTask(GetTaskRequest.newBuilder().setTaskId(created.getTaskId()).build()).getTitle());

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> grpc.createTask(
                request.toBuilder().setRequestId(UUID.randomUUID().toString()).setCategoryId(987654).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertEquals("UNKNOWN_CATEGORY", unknown.getTrailers().get(GrpcProblems.PROBLEM_CODE));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> grpc.getTask(GetTaskRequest.newBuilder().setTaskId(5).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }

    private ListingEvent awaitEvent(KafkaConsumer<String, byte[]> kafka, long taskId) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : kafka.poll(Duration.ofMillis(200))) {
                if (Long.toString(taskId).equals(r.key())) {
                    return ListingEvent.parseFrom(r.value());
                }
            }
        }
        throw new AssertionError("no ListingEvent for task " + taskId + " on listing.lifecycle within 20 s");
    }

    private KafkaConsumer<String, byte[]> lifecycleConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "listing-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "true");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of("listing.lifecycle"));
        // Join the group before the event is produced, so "latest" cannot skip it.
        long deadline = System.currentTimeMillis() + 15_000;
        while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
        assertTrue(!c.assignment().isEmpty(), "test consumer joined listing.lifecycle");
        c.assignment().forEach(c::position); // resolve "latest" now, not after the event arrives

        return c;
    }

    private long count(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
