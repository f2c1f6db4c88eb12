package dev.marketops.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every category x source row of seed 3.3.5 (and ours) takes the path its strategy says,
 * through the real listing-service and config-service and Kafka.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class AuditRoutingTest {

    @ConfigProperty(name = "marketops.test.listing-url", defaultValue = "unset") // a test profile without the resource must still boot
    String listingUrl;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub commands;

    /** The user SampleListings' drafts name as their creator. */
    static final long CREATOR = 42;
    /** A seeded shop of listing-service, run by merchant 1001 (merchant id = shop id). */
    static final long SHOP = 1001;

    /** listing-service as an operator (staff read every task). */
    RequestSpecification listing() {
        return listingAs(Tokens.bearer("operator", CREATOR));
    }

    RequestSpecification listingAs(String bearer) {
        return given().baseUri(listingUrl).contentType("application/json").header("Authorization", bearer);
    }

    /** Who creates a draft of this user type: the role whose sources it names (listing-service's ListingOrigins). */
    static String creatorOf(String sourceUserType) {
        return switch (sourceUserType) {
            case "merchant" -> Tokens.merchantBearer(CREATOR, SHOP);
            default -> Tokens.bearer("operator", CREATOR);
        };
    }

    /**
     * A supplier system's listing: suppliers reach listing-service through supplier-sync-service
     * (a platform service on gRPC), not its REST API, so the test creates it the same way.
     */
    long submittedBySupplierSync(Map<String, Object> draft) throws Exception {
        long taskId = createdBySupplierSync(draft);
        commands.withDeadlineAfter(10, TimeUnit.SECONDS).transition(TransitionRequest.newBuilder().setTaskId(taskId)
                .setAction("submit").setExpectedVersion(0).setOperatorType("system").build());
        return taskId;
    }

    /** A supplier system's draft, created over gRPC as supplier-sync-service does; not submitted. */
    long createdBySupplierSync(Map<String, Object> draft) throws Exception {
        CreateTaskRequest request = CreateTaskRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString())
                .setCategoryId(((Number) draft.get("categoryId")).longValue()).setTitle(String.valueOf(draft.get("title")))
                .setSourceType(String.valueOf(draft.get("sourceType"))).setSourceUserType("system").setShopId(SHOP)
                .setItemDataJson(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(draft.get("itemData")))
                .build();
        return commands.withDeadlineAfter(10, TimeUnit.SECONDS).createTask(request).getTaskId();
    }

    long submitted(Map<String, Object> draft) throws Exception {
        String user = String.valueOf(draft.get("sourceUserType"));
        if ("system".equals(user)) {
            return submittedBySupplierSync(draft);
        }
        long taskId = created(draft);
        listingAs(creatorOf(user)).body(Map.of("expectedVersion", 0)).post("/listings/" + taskId + "/actions/submit")
                .then().statusCode(200);
        return taskId;
    }

    /** A draft created through listing-service's REST API by the user its source names; not submitted. */
    long created(Map<String, Object> draft) {
        String user = String.valueOf(draft.get("sourceUserType"));
        Map<String, Object> body = new java.util.HashMap<>(draft);
        if (!"merchant".equals(user)) {
            body.put("shopId", SHOP);
        }
        return listingAs(creatorOf(user)).body(body).post("/listings").then().statusCode(201)
                .extract().jsonPath().getLong("taskId");
    }

    static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer);
    }

    static RequestSpecification staff() {
        return as(Tokens.bearer("operator", 7));
    }

    String statusOf(long taskId) {
        return listing().get("/listings/" + taskId).jsonPath().getString("statusName");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    @ParameterizedTest(name = "{0} from {1}/{2} -> {3}")
    @CsvSource({
            "1200, operator_form, operator, skip",
            "1200, supplier_pull, system, fast_track",
            "1300, operator_form, operator, skip",
            "1400, operator_form, operator, skip",
            "2100, supplier_pull, system, fast_track",
            "2100, operator_form, operator, skip",
            "2100, api, system, auto",
            "3100, supplier_push, system, fast_track",
            "3100, operator_form, operator, skip",
            "4100, operator_form, operator, skip",
            "4200, operator_form, operator, skip",
    })
    void automaticStrategiesApproveAValidListing(long category, String source, String user, String strategy) throws Exception {
        long taskId = submitted(SampleListings.draft(category, source, user));
        await("task " + taskId + " is approved", () -> "APPROVED".equals(statusOf(taskId)));
        awaitLog(taskId);
        staff().queryParam("taskId", taskId).get("/audit-logs").then().statusCode(200)
                .body("[0].auditType", equalTo(strategy)).body("[0].auditAction", equalTo("approve"))
                .body("[0].auditorType", equalTo("system"));
        listing().get("/listings/" + taskId).then().body("auditType", equalTo(strategy));
    }

    /**
     * A submission decided already comes again as a new event (the consumer that applied it died
     * before its dedupe row committed, so Kafka redelivers it and the event id is not known here).
     * The task has moved on: the worker applies nothing, logs nothing twice and does not
     * dead-letter the event (it used to fail three times on STALE_VERSION and go to the DLQ).
     */
    @Test
    void aSubmissionDecidedAlreadyIsNotAppliedAgainWhenRedelivered() throws Exception {
        long taskId = submitted(SampleListings.draft(1200, "operator_form", "operator"));
        await("task " + taskId + " is approved", () -> "APPROVED".equals(statusOf(taskId)));
        awaitLog(taskId);
        String again = java.util.UUID.randomUUID().toString();
        dev.marketops.proto.events.ListingEvent submitted = dev.marketops.proto.events.ListingEvent.newBuilder()
                .setEventId(again).setEventType("submitted").setTimestamp(System.currentTimeMillis()).setTaskId(taskId)
                .setCategoryId(1200).setSourceType("operator_form").setSourceUserType("operator").setVersion(1)
                .setFromStatus(0).setToStatus(10).setAction("submit").build();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var r = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>("listing.audit.pending", String.valueOf(taskId), submitted.toByteArray());
            r.headers().add("event_id", again.getBytes()).add("event_type", "listing.audit.pending".getBytes());
            producer.send(r).get();
        }
        // the dedupe row commits only with a handler that succeeded
        await("the redelivered submission is consumed without error", () -> processed("audit-worker", again));
        staff().queryParam("taskId", taskId).get("/audit-logs").then().statusCode(200)
                .body("auditAction", equalTo(List.of("approve")));
        assertEquals("APPROVED", statusOf(taskId));
    }

    @jakarta.inject.Inject
    javax.sql.DataSource db;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    boolean processed(String consumer, String eventId) {
        try (var c = db.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM processed_event WHERE consumer = ? AND event_id = ?")) {
            ps.setString(1, consumer);
            ps.setString(2, eventId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0} from {1} waits for an auditor")
    @CsvSource({
            "1200, merchant_portal, merchant",
            "1300, merchant_portal, merchant",
            "1300, merchant_app, merchant",
            "1400, merchant_portal, merchant",
            "4200, merchant_app, merchant",
    })
    void merchantSourcesWaitInTheManualQueueUntilAnAuditorDecides(long category, String source, String user) throws Exception {
        long approvedTask = submitted(SampleListings.draft(category, source, user));
        long rejectedTask = submitted(SampleListings.draft(category, source, user));
        long approveReview = awaitReview(approvedTask);
        long rejectReview = awaitReview(rejectedTask);
        assertEquals("PENDING_AUDIT", statusOf(approvedTask));

        // only auditors decide
        given().contentType("application/json").body(Map.of()).post("/reviews/" + approveReview + "/approve")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", Tokens.bearer("merchant", 9)).contentType("application/json").body(Map.of())
                .post("/reviews/" + approveReview + "/approve").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        assertEquals("PENDING_AUDIT", statusOf(approvedTask));

        given().header("Authorization", Tokens.bearer("auditor", 501))
                .post("/reviews/" + approveReview + "/claim").then().statusCode(200).body("status", equalTo("claimed"))
                .body("claimedBy", equalTo("501"));
        // the open queue holds both, claimed or not; "pending" only the unclaimed one
        for (String[] q : new String[][] {{"open", "claimed"}, {"pending", null}, {"claimed", "claimed"}}) {
            List<Object> statuses = given().header("Authorization", Tokens.bearer("auditor", 501)).queryParam("status", q[0])
                    .queryParam("taskId", approvedTask).get("/reviews").then().statusCode(200).extract().jsonPath().getList("items.status");
            assertEquals(q[1] == null ? List.of() : List.of(q[1]), statuses, "status=" + q[0]);
        }
        assertEquals(List.of("pending"), given().header("Authorization", Tokens.bearer("auditor", 501)).queryParam("status", "open")
                .queryParam("taskId", rejectedTask).get("/reviews").jsonPath().getList("items.status"));
        given().header("Authorization", Tokens.bearer("auditor", 502)).contentType("application/json").body(Map.of("comment", "mine"))
                .post("/reviews/" + approveReview + "/approve").then().statusCode(409).body("code", equalTo("REVIEW_CLAIMED_BY_OTHER"));
        given().header("Authorization", Tokens.bearer("auditor", 501)).contentType("application/json").body(Map.of())
                .post("/reviews/" + approveReview + "/approve").then().statusCode(200).body("status", equalTo("approved"));
        assertEquals("APPROVED", statusOf(approvedTask));

        given().header("Authorization", Tokens.bearer("auditor", 501)).contentType("application/json").body(Map.of())
                .post("/reviews/" + rejectReview + "/reject").then().statusCode(400).body("field", equalTo("comment"));
        given().header("Authorization", Tokens.bearer("auditor", 501)).contentType("application/json")
                .body(Map.of("comment", "photos missing"))
                .post("/reviews/" + rejectReview + "/reject").then().statusCode(200).body("status", equalTo("rejected"));
        assertEquals("REJECTED", statusOf(rejectedTask));
        listing().get("/listings/" + rejectedTask).then().body("auditComment", equalTo("photos missing"));
        given().header("Authorization", Tokens.bearer("auditor", 501)).contentType("application/json")
                .body(Map.of("comment", "again"))
                .post("/reviews/" + rejectReview + "/approve").then().statusCode(409).body("code", equalTo("REVIEW_ALREADY_DECIDED"));
        staff().queryParam("taskId", approvedTask).get("/audit-logs").then()
                .body("auditAction", equalTo(List.of("queue", "approve"))).body("[1].auditorId", equalTo("501"));
    }

    /**
     * Submissions that arrive together (one TransitionMany, so their events reach the worker in
     * a poll or a few) are decided as a group, each by its own strategy: skip approves, auto
     * rejects a hotel with a gap in its calendar, a merchant's listing waits for an auditor. Each
     * task gets exactly one decision and one log. The same submissions coming again (new event
     * ids, as after a producer retry) change nothing.
     */
    @Test
    void aBurstOfSubmissionsIsDecidedTaskByTaskOnceEach() throws Exception {
        List<Long> skip = new java.util.ArrayList<>();
        List<Long> rejected = new java.util.ArrayList<>();
        List<Long> manual = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            skip.add(created(SampleListings.draft(1200, "operator_form", "operator")));
        }
        for (int i = 0; i < 4; i++) {
            Map<String, Object> hotel = SampleListings.draft(SampleListings.HOTEL, "api", "system");
            LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(5);
            ((Map<String, Object>) hotel.get("itemData")).put("price_calendar", List.of(Map.of("date", d.toString(), "price", 300),
                    Map.of("date", d.plusDays(2).toString(), "price", 300)));
            rejected.add(createdBySupplierSync(hotel));
        }
        for (int i = 0; i < 4; i++) {
            manual.add(created(SampleListings.draft(1200, "merchant_portal", "merchant")));
        }
        List<Long> all = new java.util.ArrayList<>(skip);
        all.addAll(rejected);
        all.addAll(manual);
        var submit = commands.withDeadlineAfter(20, TimeUnit.SECONDS).transitionMany(dev.marketops.proto.listing.TransitionManyRequest
                .newBuilder().addAllTaskIds(all).setAction("submit").setOperatorType("system").build());
        assertEquals(all.size(), submit.getSucceeded(), submit.toString());

        for (long t : skip) {
            await("task " + t + " is approved", () -> "APPROVED".equals(statusOf(t)));
        }
        for (long t : rejected) {
            await("task " + t + " is rejected", () -> "REJECTED".equals(statusOf(t)));
        }
        for (long t : manual) {
            awaitReview(t);
        }
        for (long t : all) {
            awaitLog(t);
        }
        Map<Long, String> action = new java.util.HashMap<>();
        skip.forEach(t -> action.put(t, "approve"));
        rejected.forEach(t -> action.put(t, "reject"));
        manual.forEach(t -> action.put(t, "queue"));
        for (long t : all) {
            staff().queryParam("taskId", t).get("/audit-logs").then().statusCode(200)
                    .body("auditAction", equalTo(List.of(action.get(t))));
        }
        listing().get("/listings/" + rejected.get(0)).then().body("auditType", equalTo("auto"))
                .body("auditComment", org.hamcrest.Matchers.containsString("gap"));
        listing().get("/listings/" + skip.get(0)).then().body("auditType", equalTo("skip"));

        // the same submissions once more, under new event ids, in one burst
        List<String> again = new java.util.ArrayList<>();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (long t : all) {
                String id = java.util.UUID.randomUUID().toString();
                again.add(id);
                var e = dev.marketops.proto.events.ListingEvent.newBuilder().setEventId(id).setEventType("submitted")
                        .setTimestamp(System.currentTimeMillis()).setTaskId(t).setVersion(1).setFromStatus(0).setToStatus(10)
                        .setAction("submit").build();
                var r = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>("listing.audit.pending", String.valueOf(t), e.toByteArray());
                r.headers().add("event_id", id.getBytes());
                producer.send(r);
            }
            producer.flush();
        }
        for (String id : again) {
            await("the repeated submission " + id + " is consumed", () -> processed("audit-worker", id));
        }
        for (long t : all) {
            staff().queryParam("taskId", t).get("/audit-logs").then().body("auditAction", equalTo(List.of(action.get(t))));
        }
        for (long t : manual) {
            assertEquals(1, given().header("Authorization", Tokens.bearer("auditor", 501)).queryParam("taskId", t).get("/reviews")
                    .jsonPath().getList("items").size(), "one review for task " + t);
            assertEquals("PENDING_AUDIT", statusOf(t));
        }
    }

    @Test
    void autoAuditRejectsABusinessRuleViolationWithTheReason() throws Exception {
        Map<String, Object> draft = SampleListings.draft(SampleListings.HOTEL, "api", "system");
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        ((Map<String, Object>) draft.get("itemData")).put("price_calendar", List.of(Map.of("date", d.toString(), "price", 300),
                Map.of("date", d.plusDays(2).toString(), "price", 300)));
        long taskId = submitted(draft);
        await("task " + taskId + " is rejected", () -> "REJECTED".equals(statusOf(taskId)));
        awaitLog(taskId);
        staff().queryParam("taskId", taskId).get("/audit-logs").then()
                .body("[0].auditType", equalTo("auto")).body("[0].auditAction", equalTo("reject"))
                .body("[0].ruleResults.violations.field", hasItem("price_calendar"))
                .body("[0].rulesApplied", hasItem("hotel_price_calendar"));
        listing().get("/listings/" + taskId).then().body("auditComment", org.hamcrest.Matchers.containsString("gap"));
    }

    @Test
    void reviewQueueInputIsChecked() {
        String auditor = Tokens.bearer("auditor", 501);
        given().header("Authorization", auditor).get("/reviews?status=lost").then().statusCode(400).body("field", equalTo("status"));
        given().header("Authorization", auditor).get("/reviews/999999999").then().statusCode(404).body("code", equalTo("UNKNOWN_REVIEW"));
        given().get("/reviews").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-token").get("/reviews").then().statusCode(401);
    }

    /** The AuditWorker moves the task in listing-service before its own log commits: wait for the log too. */
    private void awaitLog(long taskId) throws InterruptedException {
        await("task " + taskId + " has its audit log", () -> !staff().queryParam("taskId", taskId).get("/audit-logs")
                .jsonPath().getList("$").isEmpty());
    }

    private long awaitReview(long taskId) throws InterruptedException {
        long[] id = new long[1];
        await("task " + taskId + " is in the review queue", () -> {
            List<Map<String, Object>> items = given().header("Authorization", Tokens.bearer("auditor", 501)).queryParam("taskId", taskId).get("/reviews").jsonPath().getList("items");
            return items.stream().filter(i -> Long.parseLong(String.valueOf(i.get("taskId"))) == taskId).findFirst()
                    .map(i -> id[0] = Long.parseLong(String.valueOf(i.get("reviewId")))).isPresent();
        });
        return id[0];
    }
}
