package dev.marketops.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ListingFleetTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

/**
 * A chunk of an upload's tasks is audited in one pass: each task takes its strategy's path,
 * the approved ones are announced together on listing.batch.audited, and a redelivered chunk
 * changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(ListingFleetTestResource.class)
class BatchAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub commands;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub queries;
    @Inject
    EntityManager em;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aChunkIsDecidedPerStrategyAndTheApprovedAreAnnouncedTogether() throws Exception {
        long batchId = System.currentTimeMillis() * 1000 + (System.nanoTime() % 1000);
        List<CreateTaskRequest> drafts = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // skip: operator uploads of vouchers and hotels
            drafts.add(draft(i % 2 == 0 ? SampleListings.DEAL : SampleListings.HOTEL, "excel_batch", "operator",
                    SampleListings.itemData(i % 2 == 0 ? SampleListings.DEAL : SampleListings.HOTEL)));
        }
        for (int i = 0; i < 3; i++) { // manual: merchant listings
            drafts.add(draft(SampleListings.OPV, "merchant_portal", "merchant", SampleListings.itemData(SampleListings.OPV)));
        }
        Map<String, Object> gap = new java.util.HashMap<>(SampleListings.itemData(SampleListings.HOTEL));
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        gap.put("price_calendar", List.of(Map.of("date", d.toString(), "price", 300), Map.of("date", d.plusDays(2).toString(), "price", 300)));
        drafts.add(draft(SampleListings.HOTEL, "api", "system", gap)); // auto: rejected for the calendar gap

        // a loaded machine can make the peer's config lookup time out (CONFIG_UNAVAILABLE): create those again
        Long[] made = new Long[drafts.size()];
        CreateTasksReply created = null;
        for (int attempt = 0; attempt < 5 && java.util.Arrays.asList(made).contains(null); attempt++) {
            List<Integer> todo = new ArrayList<>();
            for (int i = 0; i < made.length; i++) {
                if (made[i] == null) {
                    todo.add(i);
                }
            }
            created = commands.withDeadlineAfter(20, TimeUnit.SECONDS).createTasks(CreateTasksRequest.newBuilder()
                    .addAllTasks(todo.stream().map(drafts::get).toList()).setBatchId(batchId).setTaskType("batch_import").build());
            for (int k = 0; k < todo.size(); k++) {
                if (created.getResults(k).getTaskId() != 0) {
                    made[todo.get(k)] = created.getResults(k).getTaskId();
                } else {
                    assertEquals("CONFIG_UNAVAILABLE", created.getResults(k).getErrorCode(), created.toString());
                }
            }
        }
        assertTrue(!java.util.Arrays.asList(made).contains(null), String.valueOf(created));
        List<Long> ids = List.of(made);
        commands.withDeadlineAfter(20, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder().addAllTaskIds(ids).setAction("submit")
                .setOperatorType("operator").setOperatorId(7).setBatchId(batchId).build());

        try (KafkaConsumer<String, byte[]> audited = consumer("listing.batch.audited")) {
            ListingBatchEvent chunk = ListingBatchEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setEventType("parsed").setTimestamp(System.currentTimeMillis()).setBatchId(batchId)
                    .addAllTaskIds(ids).setChunkNo(1).setChunkCount(1).build();
            send(chunk);

            await("the skip tasks are approved and the gap is rejected", () -> statuses(ids).equals(expected(ids)));
            assertEquals(3L, count("SELECT count(*) FROM manual_review WHERE task_id IN (" + join(ids) + ") AND status = 'pending'"));
            assertEquals(24L, count("SELECT count(*) FROM listing_audit_log WHERE task_id IN (" + join(ids) + ")"));
            assertEquals(20L, count("SELECT count(*) FROM listing_audit_log WHERE task_id IN (" + join(ids) + ") AND audit_action = 'approve' AND audit_type = 'skip'"));
            assertEquals(1L, count("SELECT count(*) FROM listing_audit_log WHERE task_id IN (" + join(ids) + ") AND audit_action = 'reject' AND audit_type = 'auto'"));

            Set<Long> announced = new HashSet<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (announced.size() < 20 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : audited.poll(Duration.ofMillis(500))) {
                    ListingBatchEvent e;
                    try {
                        e = ListingBatchEvent.parseFrom(r.value());
                    } catch (com.google.protobuf.InvalidProtocolBufferException notOurs) {
                        continue; // the topic's history may hold other tests' malformed records
                    }
                    if (e.getBatchId() == batchId) {
                        announced.addAll(e.getTaskIdsList());
                    }
                }
            }
            assertEquals(new HashSet<>(ids.subList(0, 20)), announced);

            // The same chunk again (a redelivery with a new event id): nothing is decided twice.
            // Wait for proof that it was consumed: the worker's dedupe row commits with whatever it changed.
            String again = UUID.randomUUID().toString();
            send(chunk.toBuilder().setEventId(again).build());
            await("the redelivered chunk is consumed", () -> count("SELECT count(*) FROM processed_event WHERE consumer = "
                    + "'batch-audit-worker' AND event_id = '" + again + "'") == 1L);
            assertEquals(24L, count("SELECT count(*) FROM listing_audit_log WHERE task_id IN (" + join(ids) + ")"));
            assertEquals(3L, count("SELECT count(*) FROM manual_review WHERE task_id IN (" + join(ids) + ")"));
        }
    }

    private static CreateTaskRequest draft(long category, String source, String user, Map<String, Object> data) throws Exception {
        return CreateTaskRequest.newBuilder().setCategoryId(category).setTitle("Batch audit " + category)
                .setSourceType(source).setSourceUserType(user).setCreatorId(42)
                .setShopId(1) // the platform shop: a service creating tasks names the shop they are for
                .setItemDataJson(JSON.writeValueAsString(data)).build();
    }

    private List<String> statuses(List<Long> ids) {
        return queries.withDeadlineAfter(10, TimeUnit.SECONDS).getTasks(GetTasksRequest.newBuilder().addAllTaskIds(ids).build()).getTasksList().stream()
                .map(ListingTaskReply::getStatusName).toList();
    }

    private static List<String> expected(List<Long> ids) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add("APPROVED");
        }
        out.addAll(List.of("PENDING_AUDIT", "PENDING_AUDIT", "PENDING_AUDIT", "REJECTED"));
        return out;
    }

    private void send(ListingBatchEvent e) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>("listing.batch.parsed", String.valueOf(e.getBatchId()), e.toByteArray());
            r.headers().add("event_id", e.getEventId().getBytes()).add("event_type", "listing.batch.parsed".getBytes());
            producer.send(r).get();
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        p.put("group.id", "batch-audit-test-" + UUID.randomUUID());
        // From the start, not "latest": a group that joins while the topic is still being created, or
        // whose first position is looked up after the event was sent, missed it (CI, 2026-12-04).
        // Callers keep only their own batch's events.
        p.put("auto.offset.reset", "earliest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        long deadline = System.currentTimeMillis() + 10_000;
        while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(100)); // join the group before anything is sent
        }
        return c;
    }

    private long count(String sql) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).longValue());
    }

    private static String join(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
