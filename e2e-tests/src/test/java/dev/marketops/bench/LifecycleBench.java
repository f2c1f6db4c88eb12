package dev.marketops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.proto.events.ListingEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Listing lifecycle benchmark against the running fleet (deploy/local/platform.sh bench):
 * (1) creation throughput of draft tasks over REST; (2) create -> APPROVED latency for the
 * skip (operator form) and fast-track (supplier) strategies, through Kafka and audit-service.
 * The approval instant is the timestamp listing-service stamps on the approve event.
 */
@Tag("bench")
class LifecycleBench {

    static final String LISTING = System.getProperty("bench.listing", "http://127.0.0.1:8081");
    static final String KAFKA = System.getProperty("e2e.kafka", "127.0.0.1:9092");
    static final int CREATES = Integer.getInteger("bench.creates", 5000);
    static final int FLOWS = Integer.getInteger("bench.flows", 1000);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 32);
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void createThroughputAndApprovalLatency() throws Exception {
        warmUp();
        String throughput = createThroughput();
        String batch = batchCreateThroughput();
        // Latency at a moderate load (4 flows in flight), then the pipeline's capacity (32 in flight).
        String skip = approvalLatency("skip (operator_form, TopUp), 4 in flight", 4100, "operator_form", "operator", topUp(), 4, FLOWS / 2);
        String fast = approvalLatency("fast_track (supplier_push, Movie), 4 in flight", 3100, "supplier_push", "system", movie(), 4, FLOWS / 2);
        String skipLoaded = approvalLatency("skip (operator_form, TopUp), 32 in flight", 4100, "operator_form", "operator", topUp(), 32, FLOWS);
        String report = String.join("\n", throughput, batch, skip, fast, skipLoaded);
        System.out.println("\n==== lifecycle benchmark ====\n" + report + "\n");
        Files.writeString(Path.of("target", "bench-lifecycle.txt"), report + "\n");
    }

    private void warmUp() throws Exception {
        runConcurrently(300, CONCURRENCY, i -> create(4100, "operator_form", "operator", topUp()));
    }

    private String createThroughput() throws Exception {
        long started = System.nanoTime();
        long[] latencies = runConcurrently(CREATES, CONCURRENCY, i -> create(4100, "operator_form", "operator", topUp()));
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("create draft (REST, %d tasks, %d concurrent): %.0f tasks/s; latency p50 %.1f ms, p99 %.1f ms",
                CREATES, CONCURRENCY, CREATES / seconds, pct(latencies, 50) / 1e6, pct(latencies, 99) / 1e6);
    }

    /** Set-based creation: POST /listings/batch with 500 drafts per call, 4 calls in flight. */
    private String batchCreateThroughput() throws Exception {
        int perCall = 500;
        int calls = Math.max(1, CREATES * 4 / perCall);
        List<Map<String, Object>> tasks = new ArrayList<>(perCall);
        for (int i = 0; i < perCall; i++) {
            tasks.add(Map.of("categoryId", 4100, "title", "bench batch " + i, "sourceType", "excel_batch",
                    "sourceUserType", "operator", "shopId", 1001, "itemData", topUp()));
        }
        String body = JSON.writeValueAsString(Map.of("tasks", tasks));
        long started = System.nanoTime();
        long[] latencies = runConcurrently(calls, 4, i -> {
            String r = postRaw("/listings/batch", body);
            if (JSON.readTree(r).get("created").asInt() != perCall) {
                throw new IllegalStateException("batch not fully created: " + r.substring(0, Math.min(300, r.length())));
            }
            return 0;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("create drafts in batches (REST /listings/batch, %d x %d, 4 calls in flight): %.0f tasks/s; per call p50 %.0f ms, p99 %.0f ms",
                calls, perCall, calls * perCall / seconds, pct(latencies, 50) / 1e6, pct(latencies, 99) / 1e6);
    }

    /** Creates and submits FLOWS tasks, then times create-start -> approve-event (millis) for each. */
    private String approvalLatency(String label, long category, String source, String user, Map<String, Object> data,
                                   int inFlight, int flows) throws Exception {
        Map<Long, Long> submittedAt = new ConcurrentHashMap<>();
        Map<Long, Long> approvedAt = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> ready = consumer("listing.publish.ready")) {
            long started = System.nanoTime();
            runConcurrently(flows, inFlight, i -> {
                long t0 = System.currentTimeMillis();
                long taskId = create(category, source, user, data);
                submittedAt.put(taskId, t0);
                post("/listings/" + taskId + "/actions/submit", Map.of("expectedVersion", 0));
                return 0;
            });
            long deadline = System.currentTimeMillis() + 60_000;
            while (approvedAt.keySet().containsAll(submittedAt.keySet()) == false && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : ready.poll(Duration.ofMillis(200))) {
                    ListingEvent e = ListingEvent.parseFrom(r.value());
                    if (submittedAt.containsKey(e.getTaskId())) {
                        approvedAt.put(e.getTaskId(), e.getTimestamp());
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] lat = submittedAt.entrySet().stream().filter(en -> approvedAt.containsKey(en.getKey()))
                    .mapToLong(en -> approvedAt.get(en.getKey()) - en.getValue()).sorted().toArray();
            return String.format("%s: %d/%d approved in %.1f s (%.0f tasks/s end to end); create -> APPROVED p50 %d ms, p99 %d ms, max %d ms",
                    label, lat.length, flows, seconds, lat.length / seconds, pct(lat, 50), pct(lat, 99), lat.length == 0 ? -1 : lat[lat.length - 1]);
        }
    }

    interface Call {
        long run(int i) throws Exception;
    }

    private long[] runConcurrently(int n, int concurrency, Call call) throws Exception {
        long[] latencies = new long[n];
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int idx = i;
                permits.acquire();
                pool.submit(() -> {
                    long t = System.nanoTime();
                    try {
                        call.run(idx);
                    } catch (Exception e) {
                        if (failures.incrementAndGet() < 5) {
                            System.err.println("bench call failed: " + e);
                        }
                    } finally {
                        latencies[idx] = System.nanoTime() - t;
                        permits.release();
                    }
                });
            }
        }
        if (failures.get() > 0) {
            throw new AssertionError(failures.get() + " of " + n + " calls failed");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private long create(long category, String source, String user, Map<String, Object> data) throws Exception {
        Map<String, Object> body = Map.of("categoryId", category, "title", "bench " + UUID.randomUUID(), "sourceType", source,
                "sourceUserType", user, "shopId", 1001, "itemData", data);
        return JSON.readTree(post("/listings", body)).get("taskId").asLong();
    }

    private String post(String path, Object body) throws Exception {
        return postRaw(path, JSON.writeValueAsString(body));
    }

    private String postRaw(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(LISTING + path))
                .header("Content-Type", "application/json").header("Authorization", nextOperator())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * Creates are rate-limited per user (Redis buckets, platform defaults); the benchmark is a
     * crowd of operators logged in through Keycloak, not one user hammering.
     */
    private static final List<String> OPERATORS = java.util.stream.IntStream.rangeClosed(1, 16)
            .mapToObj(i -> dev.marketops.e2e.Logins.bearer("operator", 9_000 + i)).toList();
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

    private static String nextOperator() {
        return OPERATORS.get(Math.floorMod(NEXT.getAndIncrement(), OPERATORS.size()));
    }

    /** The p-th percentile of sorted values (nearest rank). */
    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Map<String, Object> topUp() {
        return Map.of("carrier", "China Mobile", "denomination", 50, "sale_price", 49.5);
    }

    private static Map<String, Object> movie() {
        return Map.of("movie_name", "Bench Night", "cinema_name", "Harbour", "ticket_type", "IMAX",
                "show_time", OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).withNano(0).toString());
    }

    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        long deadline = System.currentTimeMillis() + 15_000;
        while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
        c.assignment().forEach(c::position);
        return c;
    }
}
