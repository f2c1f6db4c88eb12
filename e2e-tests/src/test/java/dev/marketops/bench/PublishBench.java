package dev.marketops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.TransitionManyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Publishing benchmark against the running fleet (deploy/local/platform.sh bench):
 * (1) one listing at a time, approved -> ONLINE (listing-service's history timestamps) and
 * approved -> findable in search (observed by polling the search API every 5 ms);
 * (2) a 10,000-task upload batch: batch audit -> listing.batch.audited -> BatchPublishWorker,
 * timed from the first approval to the last task ONLINE and to the last item indexed.
 */
@Tag("bench")
class PublishBench {

    static final String LISTING = System.getProperty("bench.listing", "http://127.0.0.1:8081");
    static final String OPERATOR = dev.marketops.e2e.Logins.bearer("operator", 42);
    static final String SEARCH = System.getProperty("bench.search", "http://127.0.0.1:8088");
    static final String JDBC = System.getProperty("e2e.jdbc", "jdbc:postgresql://127.0.0.1:5432/marketops_test");
    static final String KAFKA = System.getProperty("e2e.kafka", "127.0.0.1:9092");
    static final int SINGLES = Integer.getInteger("bench.publish.singles", 200);
    static final int BATCH = Integer.getInteger("bench.publish.batch", 10_000);
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void approvedToOnlineAndSearchable() throws Exception {
        single(20); // warm-up: JIT, connection pools, caches
        String single = single(SINGLES);
        String batch = batch(BATCH);
        String report = String.join("\n", single, batch);
        System.out.println(report);
        Files.writeString(Path.of("target", "bench-publish.txt"), report + "\n");
    }

    private String single(int n) throws Exception {
        long[] online = new long[n];
        long[] searchable = new long[n];
        for (int i = 0; i < n; i++) {
            String token = "pb" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            long taskId = create(token);
            post(LISTING + "/listings/" + taskId + "/actions/submit", "{\"expectedVersion\":0}");
            long seen = awaitSearchable(token);
            long[] t = transitionTimes(taskId);
            online[i] = t[1] - t[0];
            searchable[i] = seen - t[0];
        }
        Arrays.sort(online);
        Arrays.sort(searchable);
        return String.format("publish, one at a time (%d listings, skip strategy, top-up):%n"
                        + "  approved -> ONLINE       p50 %d ms  p99 %d ms  max %d ms%n"
                        + "  approved -> searchable   p50 %d ms  p99 %d ms  max %d ms",
                n, pct(online, 50), pct(online, 99), online[n - 1], pct(searchable, 50), pct(searchable, 99), searchable[n - 1]);
    }

    private String batch(int n) throws Exception {
        long batchId = System.currentTimeMillis();
        List<Long> ids = new ArrayList<>(n);
        for (int from = 0; from < n; from += 1000) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                tasks.add(Map.of("categoryId", 4100, "title", "Bench batch top-up " + i, "sourceType", "excel_batch",
                        "sourceUserType", "operator", "shopId", 1001, "itemData", topUp()));
            }
            JsonNode reply = JSON.readTree(post(LISTING + "/listings/batch", JSON.writeValueAsString(
                    Map.of("batchId", batchId, "taskType", "batch_import", "tasks", tasks))));
            for (JsonNode r : reply.get("results")) {
                ids.add(r.get("taskId").asLong());
            }
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(System.getProperty("bench.listing-grpc", "127.0.0.1:9081")).usePlaintext().build();
        try {
            io.grpc.Metadata auth = new io.grpc.Metadata();
            auth.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + dev.marketops.e2e.Logins.serviceToken("svc-batch"));
            var commands = ListingCommandsGrpc.newBlockingStub(channel)
                    .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(auth));
            for (int from = 0; from < n; from += 1000) {
                commands.withDeadlineAfter(60, TimeUnit.SECONDS).transitionMany(TransitionManyRequest.newBuilder()
                        .addAllTaskIds(ids.subList(from, Math.min(n, from + 1000))).setAction("submit")
                        .setOperatorType("operator").setOperatorId(42).setBatchId(batchId).build());
            }
        } finally {
            channel.shutdownNow();
        }
        // What batch-operation-service's ExcelParseWorker announces after parsing an upload.
        long started = System.currentTimeMillis();
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        int chunks = (n + 999) / 1000;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int c = 0; c < chunks; c++) {
                ListingBatchEvent e = ListingBatchEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType("parsed")
                        .setTimestamp(System.currentTimeMillis()).setBatchId(batchId)
                        .addAllTaskIds(ids.subList(c * 1000, Math.min(n, (c + 1) * 1000))).setChunkNo(c + 1).setChunkCount(chunks).build();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>("listing.batch.parsed", String.valueOf(batchId), e.toByteArray());
                r.headers().add("event_id", e.getEventId().getBytes());
                producer.send(r);
            }
            producer.flush();
        }
        long deadline = started + 600_000;
        while (count("SELECT count(*) FROM listing.listing_task WHERE batch_id = " + batchId + " AND status = 20") < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("batch " + batchId + " not ONLINE within 10 min");
            }
            Thread.sleep(100);
        }
        long allOnline = System.currentTimeMillis();
        long searchable = awaitSearchTotal(batchId, n, deadline);
        long[] span = spans(batchId);
        return String.format("publish, a %d-task upload batch (top-up, skip strategy):%n"
                        + "  parsed event -> all ONLINE          %d ms (%.0f tasks/s)%n"
                        + "  first approval -> last ONLINE       %d ms (%.0f tasks/s)%n"
                        + "  parsed event -> all searchable      %d ms",
                n, allOnline - started, n * 1000.0 / (allOnline - started), span[1] - span[0], n * 1000.0 / Math.max(1, span[1] - span[0]),
                searchable - started);
    }

    private long create(String token) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("categoryId", 4100);
        body.put("title", "Bench top-up " + token);
        body.put("sourceType", "operator_form");
        body.put("sourceUserType", "operator");
        body.put("shopId", 1001);
        body.put("itemData", topUp());
        return JSON.readTree(post(LISTING + "/listings", JSON.writeValueAsString(body))).get("taskId").asLong();
    }

    private long awaitSearchable(String token) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(SEARCH + "/search/items?q=" + token)).header("Authorization", OPERATOR).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("total").asLong() > 0) {
                return System.currentTimeMillis();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("listing " + token + " not searchable within 30 s");
    }

    private long awaitSearchTotal(long batchId, int n, long deadline) throws Exception {
        // Every task of the batch has title "Bench batch top-up <i>" and the batch's items are the newest; count ONLINE items in search by the task ids' items.
        while (System.currentTimeMillis() < deadline) {
            long missing = count("SELECT count(*) FROM listing.listing_task WHERE batch_id = " + batchId + " AND item_id IS NULL");
            if (missing == 0) {
                break;
            }
            Thread.sleep(100);
        }
        List<Long> items = longs("SELECT item_id FROM listing.listing_task WHERE batch_id = " + batchId + " ORDER BY task_id DESC LIMIT 1");
        long last = items.get(0);
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(SEARCH + "/items/" + last)).header("Authorization", OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return System.currentTimeMillis();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the batch's last item is not readable");
    }

    /**
     * The task's APPROVED and ONLINE transition times. The item is searchable one saga step before the
     * task's ONLINE transition commits, so the ONLINE row may still be on its way: wait for it.
     */
    private long[] transitionTimes(long taskId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        List<Long> t = List.of();
        while (System.currentTimeMillis() < deadline) {
            t = longs("SELECT (extract(epoch FROM changed_at) * 1000)::bigint FROM listing.listing_state_history WHERE task_id = "
                    + taskId + " AND to_status IN (11, 20) ORDER BY to_status");
            if (t.size() >= 2) {
                break;
            }
            Thread.sleep(10);
        }
        if (t.size() < 2) {
            throw new AssertionError("task " + taskId + " has no approve/publish history: " + t);
        }
        return new long[] {t.get(0), t.get(1)};
    }

    private long[] spans(long batchId) throws Exception {
        List<Long> t = longs("SELECT (extract(epoch FROM min(changed_at) FILTER (WHERE to_status = 11)) * 1000)::bigint,"
                + " (extract(epoch FROM max(changed_at) FILTER (WHERE to_status = 20)) * 1000)::bigint"
                + " FROM listing.listing_state_history h JOIN listing.listing_task t USING (task_id) WHERE t.batch_id = " + batchId);
        return new long[] {t.get(0), t.get(1)};
    }

    private String post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("Authorization", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static long count(String sql) throws Exception {
        return longs(sql).get(0);
    }

    private static List<Long> longs(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Long> out = new ArrayList<>();
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getLong(i));
                }
            }
            return out;
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Map<String, Object> topUp() {
        return Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5);
    }
}
