package dev.marketops.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends committed outbox rows to Kafka in id order with an idempotent producer and marks
 * them sent. It polls the partial index of unsent rows adaptively: again at once while there
 * is work, then backing off from 1 ms to {@code idle-max-wait} when idle, so an event waits
 * at most that long (LISTEN/NOTIFY was measured and dropped: NOTIFY serialises commits). A
 * commit in this JVM that wrote to the outbox wakes it at once ({@link #wake}, from
 * {@link Outbox}'s after-commit hook), so the idle wait only delays another replica's events.
 * One replica per service publishes at a time (a session advisory lock), which keeps the
 * order of events per key across replicas.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    public static final String HEADER_EVENT_ID = "event_id";
    public static final String HEADER_EVENT_TYPE = "event_type";

    @ConfigProperty(name = "marketops.schema")
    String schema;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String dbPassword;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "marketops.outbox.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "marketops.outbox.batch-size", defaultValue = "1000")
    int batchSize;
    @ConfigProperty(name = "marketops.outbox.idle-max-wait", defaultValue = "PT0.03S")
    Duration idleMaxWait;
    @ConfigProperty(name = "marketops.outbox.retention", defaultValue = "P7D")
    Duration retention;

    @Inject
    MeterRegistry meters;

    /** At most one permit: "a commit wrote to the outbox since you last looked". */
    private final Semaphore wakeups = new Semaphore(0);
    /** Registered once, not looked up on every commit ({@link #wake} runs after each one). */
    private Counter wakeupCount;
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;
    private Counter published;
    private Counter failed;
    private Timer lag;
    private OutboxMetrics seedMetrics;
    private long lastCleanup;

    @PostConstruct
    void meters() {
        wakeupCount = meters.counter("marketops_outbox_wakeups_total");
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            LOG.info("outbox publisher disabled");
            return;
        }
        published = meters.counter("marketops_outbox_published_total");
        failed = meters.counter("marketops_outbox_failed_total");
        lag = Timer.builder("marketops_outbox_lag").description("commit to Kafka ack").register(meters);
        seedMetrics = new OutboxMetrics(meters, schema);
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        running = true;
        thread = Thread.ofPlatform().name("outbox-publisher-" + schema).daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-" + schema);
        return p;
    }

    private void run() {
        String lockKey = "outbox:" + schema;
        while (running) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
                c.setAutoCommit(true);
                if (!tryLock(c, lockKey)) {
                    sleep(2_000); // another replica publishes; take over if it dies (its session lock goes with it)
                    continue;
                }
                LOG.infof("outbox publisher for schema %s is active", schema);
                long waitMillis = 1;
                while (running) {
                    seedMetrics.refreshIfDue(c);
                    int sent = drain(c);
                    if (sent > 0) {
                        waitMillis = 1;
                        continue;
                    }
                    cleanupIfDue(c);
                    awaitWork(waitMillis);
                    waitMillis = Math.min(waitMillis * 2, Math.max(1, idleMaxWait.toMillis()));
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("outbox publisher lost its database connection: %s; retrying", e.getMessage());
                    sleep(1_000);
                }
            } catch (RuntimeException e) {
                LOG.error("outbox publisher failed; retrying", e);
                sleep(1_000);
            }
        }
    }

    private static boolean tryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private record Row(long id, String eventId, String topic, String key, String type, byte[] payload, long createdAt) {
    }

    /** Sends one batch; returns how many rows were marked sent. */
    int drain(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, event_id, topic, msg_key, event_type, payload, created_at FROM outbox_event "
                        + "WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
            ps.setInt(1, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp created = rs.getTimestamp(7);
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBytes(6), created.getTime()));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(rows.size());
        for (Row r : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(r.topic(), r.key(), r.payload());
            record.headers().add(HEADER_EVENT_ID, r.eventId().getBytes(StandardCharsets.UTF_8));
            record.headers().add(HEADER_EVENT_TYPE, r.type().getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
            futures.add(producer.send(record));
        }
        producer.flush();
        // Only the prefix that Kafka acknowledged is marked sent, so a failure never skips an event.
        List<Long> acked = new ArrayList<>(rows.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < rows.size(); i++) {
            try {
                futures.get(i).get(30, TimeUnit.SECONDS);
                acked.add(rows.get(i).id());
                lag.record(Math.max(0, now - rows.get(i).createdAt()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                Row r = rows.get(i);
                failed.increment();
                seedMetrics.failed();
                LOG.warnf("outbox event %s to %s not acknowledged: %s", r.eventId(), r.topic(), e.getMessage());
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE outbox_event SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
                    ps.setString(1, String.valueOf(e.getMessage()));
                    ps.setLong(2, r.id());
                    ps.executeUpdate();
                }
                sleep(500);
                break;
            }
        }
        if (!acked.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox_event SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY(?)")) {
                Array ids = c.createArrayOf("bigint", acked.toArray());
                ps.setArray(1, ids);
                ps.executeUpdate();
            }
            published.increment(acked.size());
            for (int i = 0; i < acked.size(); i++) {
                seedMetrics.sent(rows.get(i).type(), 1);
            }
        }
        return acked.size();
    }

    private void cleanupIfDue(Connection c) throws SQLException {
        long now = System.currentTimeMillis();
        if (now - lastCleanup < 600_000) {
            return;
        }
        lastCleanup = now;
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM outbox_event WHERE sent_at < now() - make_interval(secs => ?)")) {
            ps.setLong(1, retention.toSeconds());
            int deleted = ps.executeUpdate();
            if (deleted > 0) {
                LOG.infof("outbox: removed %d events sent more than %s ago", deleted, retention);
            }
        }
    }

    /** A transaction of this service that wrote to the outbox has committed: look now. */
    public void wake() {
        wakeupCount.increment();
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void awaitWork(long millis) {
        try {
            if (wakeups.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
