package dev.marketops.e2e;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Where the running fleet is, and small helpers to look at each hop: gateway, database, Kafka. */
final class Fleet {

    static final String GATEWAY = System.getProperty("e2e.gateway", "http://127.0.0.1:8080");
    static final String JDBC = System.getProperty("e2e.jdbc", "jdbc:postgresql://127.0.0.1:5432/marketops_test");
    static final String KAFKA = System.getProperty("e2e.kafka", "127.0.0.1:9092");

    static {
        awaitConsumersCaughtUp(Duration.ofSeconds(Long.getLong("e2e.settle-seconds", 300)));
    }

    private Fleet() {
    }

    /**
     * The suite expects a fleet that is caught up: the module tests that ran before it leave events in
     * topics that the fleet's consumer groups share, and a fleet that starts on such a backlog first works
     * through it (every test's own event waits behind it). Waits, once per run, until every consumer group
     * with live members has no lag, printing what is left every 10 s; after {@code max} it goes on and
     * says which groups are behind (a consumer that stopped consuming shows here, not as a test timeout).
     */
    static void awaitConsumersCaughtUp(Duration max) {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        p.put("request.timeout.ms", 10_000);
        long start = System.currentTimeMillis();
        long lastPrint = 0;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            while (true) {
                java.util.Map<String, Long> lag = liveGroupLag(admin);
                long total = lag.values().stream().mapToLong(Long::longValue).sum();
                long now = System.currentTimeMillis();
                if (total == 0) {
                    System.out.printf("fleet consumers caught up after %d ms (%d live groups)%n", now - start, lag.size());
                    return;
                }
                if (now - lastPrint >= 10_000) {
                    lastPrint = now;
                    System.out.printf("fleet backlog after %d s: %s%n", (now - start) / 1000, lag);
                }
                if (now - start > max.toMillis()) {
                    System.out.printf("WARNING: fleet consumers still behind after %d s: %s%n", max.toSeconds(), lag);
                    return;
                }
                Thread.sleep(1_000);
            }
        } catch (Exception e) {
            System.out.println("WARNING: consumer lag not read (" + e + "); going on");
        }
    }

    /** Lag per consumer group (summed over its partitions) for the groups that have members now. */
    private static java.util.Map<String, Long> liveGroupLag(org.apache.kafka.clients.admin.Admin admin) throws Exception {
        List<String> ids = admin.listConsumerGroups().all().get().stream()
                .map(org.apache.kafka.clients.admin.ConsumerGroupListing::groupId).toList();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (var d : admin.describeConsumerGroups(ids).all().get().values()) {
            if (d.members().isEmpty()) {
                continue; // a module test's group, or an e2e probe that has gone
            }
            var committed = admin.listConsumerGroupOffsets(d.groupId()).partitionsToOffsetAndMetadata().get();
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
            });
            long sum = 0;
            if (!latest.isEmpty()) {
                for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                    sum += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
                }
            }
            out.put(d.groupId(), sum);
        }
        return out;
    }

    static long count(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static KafkaConsumer<String, byte[]> consumerFromStart(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Replays a record exactly as it was (key, value, headers), as a Kafka redelivery would. */
    static void redeliver(ConsumerRecord<String, byte[]> original) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            ProducerRecord<String, byte[]> copy = new ProducerRecord<>(original.topic(), original.key(), original.value());
            for (Header h : original.headers()) {
                copy.headers().add(h.key(), h.value());
            }
            p.send(copy).get();
        }
    }

    static ConsumerRecord<String, byte[]> awaitRecord(KafkaConsumer<String, byte[]> c, String key, Duration max) {
        long deadline = System.currentTimeMillis() + max.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (key.equals(r.key())) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record with key " + key + " within " + max);
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Waits until the batch is finished (completed, partial_success, failed, cancelled) and returns it as the caller reads it. */
    static io.restassured.path.json.JsonPath awaitBatchFinished(String bearer, long batchId) {
        await("batch " + batchId + " is finished", () -> {
            String s = io.restassured.RestAssured.given().header("Authorization", bearer).get("/api/batch/batches/" + batchId)
                    .jsonPath().getString("status");
            return java.util.List.of("completed", "partial_success", "failed", "cancelled").contains(s);
        });
        return io.restassured.RestAssured.given().header("Authorization", bearer).get("/api/batch/batches/" + batchId)
                .then().extract().jsonPath();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after 30 s waiting until " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
