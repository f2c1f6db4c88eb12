package dev.marketops.platform.consumer;

import dev.marketops.platform.outbox.OutboxPublisher;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs a Kafka event handler effectively once: the dedupe row (consumer, event_id) commits
 * in the same transaction as the handler's changes, so a redelivered event has no second
 * effect. A failing handler is retried with backoff; after the last attempt the exception
 * propagates and the channel's dead-letter-queue failure strategy sends the record to
 * {@code <topic>.dlq}.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    @FunctionalInterface
    public interface Handler {
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    /** Handles the records of one poll that were not seen before, in one transaction. */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<ConsumerRecord<String, byte[]>> fresh) throws Exception;
    }

    /**
     * Handles the fresh records of one poll like {@link BatchHandler} and answers what the
     * caller must do once they have committed (sagas to start, say).
     */
    @FunctionalInterface
    public interface CollectingHandler<T> {
        List<T> handle(List<ConsumerRecord<String, byte[]>> fresh) throws Exception;
    }

    /** How many records of a poll were applied (not duplicates), and what their committed handlers answered. */
    public record Applied<T>(int applied, List<T> results) {
    }

    public enum Outcome { APPLIED, DUPLICATE }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "marketops.consumer.max-attempts", defaultValue = "3")
    int maxAttempts;
    @ConfigProperty(name = "marketops.consumer.backoff-millis", defaultValue = "200")
    long backoffMillis;

    public Outcome process(String consumer, ConsumerRecord<String, byte[]> record, Handler handler) {
        String eventId = eventId(record);
        for (int attempt = 1; ; attempt++) {
            try {
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
                    if (!markProcessed(consumer, eventId)) {
                        return Outcome.DUPLICATE;
                    }
                    handler.handle(record);
                    return Outcome.APPLIED;
                });
                meters.counter("marketops_events_consumed_total", "consumer", consumer,
                        "outcome", outcome.name().toLowerCase()).increment();
                return outcome;
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts) {
                    meters.counter("marketops_events_dead_lettered_total", "consumer", consumer).increment();
                    LOG.errorf("%s gives up on event %s (%s-%d@%d) after %d attempts: %s", consumer, eventId,
                            record.topic(), record.partition(), record.offset(), attempt, rootMessage(e));
                    throw e;
                }
                LOG.warnf("%s attempt %d on event %s failed: %s", consumer, attempt, eventId, rootMessage(e));
                sleep(backoffMillis * (1L << (attempt - 1)));
            }
        }
    }

    /**
     * The batch form, for a channel consuming whole polls: the dedupe rows of every record and
     * the handler's set-based changes commit in one transaction (one statement marks them all).
     * When the whole poll keeps failing, its records are retried one at a time so that only a
     * poison record fails; that failure propagates and the channel's dead-letter queue takes the
     * poll (records already applied are duplicates there, skipped when replayed).
     *
     * @return how many records were applied (not duplicates)
     */
    public int processAll(String consumer, List<ConsumerRecord<String, byte[]>> records, BatchHandler handler) {
        return processAllAndCollect(consumer, records, fresh -> {
            handler.handle(fresh);
            return List.of();
        }).applied();
    }

    /**
     * {@link #processAll(String, List, BatchHandler)} for a handler with work to hand on after
     * commit: the answer holds the results of the attempts that committed only (a rolled-back
     * attempt's are dropped), in the order they committed.
     */
    public <T> Applied<T> processAllAndCollect(String consumer, List<ConsumerRecord<String, byte[]>> records,
                                               CollectingHandler<T> handler) {
        if (records.isEmpty()) {
            return new Applied<>(0, List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Applied<T> done = QuarkusTransaction.requiringNew().call(() -> {
                    List<ConsumerRecord<String, byte[]>> f = markAllProcessed(consumer, records);
                    return new Applied<>(f.size(), f.isEmpty() ? List.<T>of() : handler.handle(f));
                });
                meters.counter("marketops_events_consumed_total", "consumer", consumer, "outcome", "applied")
                        .increment(done.applied());
                meters.counter("marketops_events_consumed_total", "consumer", consumer, "outcome", "duplicate")
                        .increment(records.size() - done.applied());
                return done;
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts) {
                    LOG.warnf("%s: a poll of %d records failed %d times (%s); applying them one at a time", consumer,
                            records.size(), attempt, rootMessage(e));
                    int applied = 0;
                    List<T> results = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        List<T> one = new ArrayList<>();
                        if (process(consumer, r, x -> {
                            one.clear(); // a retried attempt starts over
                            one.addAll(handler.handle(List.of(x)));
                        }) == Outcome.APPLIED) {
                            applied++;
                            results.addAll(one);
                        }
                    }
                    return new Applied<>(applied, results);
                }
                LOG.warnf("%s attempt %d on a poll of %d records failed: %s", consumer, attempt, records.size(),
                        rootMessage(e));
                sleep(backoffMillis * (1L << (attempt - 1)));
            }
        }
    }

    /** One statement for a poll's dedupe rows; returns the records seen for the first time, in order. */
    private List<ConsumerRecord<String, byte[]>> markAllProcessed(String consumer, List<ConsumerRecord<String, byte[]>> records)
            throws SQLException {
        String[] ids = new String[records.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = eventId(records.get(i));
        }
        Set<String> inserted = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_event (consumer, event_id) SELECT ?, unnest(?::text[]) ON CONFLICT DO NOTHING RETURNING event_id")) {
            ps.setString(1, consumer);
            ps.setArray(2, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        List<ConsumerRecord<String, byte[]>> fresh = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (inserted.remove(ids[i])) { // remove: a record repeated within the poll counts once
                fresh.add(records.get(i));
            }
        }
        return fresh;
    }

    /** The producer's event id header; records from elsewhere fall back to their coordinates. */
    public static String eventId(ConsumerRecord<String, byte[]> record) {
        Header h = record.headers().lastHeader(OutboxPublisher.HEADER_EVENT_ID);
        if (h != null && h.value() != null) {
            return new String(h.value(), StandardCharsets.UTF_8);
        }
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private boolean markProcessed(String consumer, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, consumer);
            ps.setString(2, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
