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
import java.sql.SQLException;
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
