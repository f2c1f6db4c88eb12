package dev.marketops.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's outbox metrics (main seed 8.2) for one service's outbox, labelled with the service
 * (its schema) because every service has its own relay: {@code outbox_pending_count{service,
 * event_type}} (unsent rows, read from the partial index of unsent rows) and
 * {@code outbox_publish_success_rate{service}} (acknowledged / attempted sends since start, 1 before
 * the first). An event type gets its gauge when it is first seen pending or sent and keeps it (at 0
 * when nothing waits), so a scrape sees the same series every time.
 */
final class OutboxMetrics {

    /** How often the pending counts are read again; the relay calls {@link #refreshIfDue} in its loop. */
    private static final long REFRESH_MILLIS = 10_000;
    /** Event types of the newest rows are registered at start, so a quiet relay shows them too. */
    private static final int RECENT_ROWS = 100_000;

    private final MeterRegistry meters;
    private final String service;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long lastRefresh;
    private boolean seeded;

    OutboxMetrics(MeterRegistry meters, String service) {
        this.meters = meters;
        this.service = service;
        Gauge.builder("outbox_publish_success_rate", this, OutboxMetrics::successRate)
                .description("acknowledged / attempted outbox sends since start").tag("service", service).register(meters);
    }

    void sent(String eventType, int n) {
        sent.addAndGet(n);
        gauge(eventType);
    }

    void failed() {
        failed.incrementAndGet();
    }

    double successRate() {
        long ok = sent.get();
        long total = ok + failed.get();
        return total == 0 ? 1.0 : (double) ok / total;
    }

    void refreshIfDue(Connection c) throws SQLException {
        long now = System.currentTimeMillis();
        if (now - lastRefresh < REFRESH_MILLIS) {
            return;
        }
        lastRefresh = now;
        if (!seeded) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT event_type FROM outbox_event "
                    + "WHERE id > (SELECT coalesce(max(id), 0) - ? FROM outbox_event)")) {
                ps.setInt(1, RECENT_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gauge(rs.getString(1));
                    }
                }
            }
            seeded = true;
        }
        Map<String, Long> counts = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT event_type, count(*) FROM outbox_event WHERE sent_at IS NULL GROUP BY event_type")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        counts.keySet().forEach(this::gauge);
        pending.forEach((type, value) -> value.set(counts.getOrDefault(type, 0L)));
    }

    private AtomicLong gauge(String eventType) {
        return pending.computeIfAbsent(eventType, t -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("outbox_pending_count", v, AtomicLong::get).description("outbox events not yet acknowledged by Kafka")
                    .tag("service", service).tag("event_type", t).register(meters);
            return v;
        });
    }
}
