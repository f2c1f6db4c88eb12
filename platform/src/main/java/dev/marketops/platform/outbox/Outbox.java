package dev.marketops.platform.outbox;

import com.google.protobuf.MessageLite;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes events into the service's outbox table inside the caller's transaction, so the
 * state change and the event that announces it commit or roll back together.
 * {@link OutboxPublisher} sends them to Kafka after commit.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT =
            "INSERT INTO outbox_event (event_id, topic, msg_key, event_type, payload) VALUES (?, ?, ?, ?, ?)";

    @Inject
    AgroalDataSource dataSource;

    public record Message(String topic, String key, String eventType, String eventId, MessageLite payload) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String key, String eventType, String eventId, MessageLite payload) {
        enqueueAll(List.of(new Message(topic, key, eventType, eventId, payload)));
    }

    /** One multi-row statement for any number of events (set-based for batch operations). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Message m : messages) {
                ps.setString(1, m.eventId());
                ps.setString(2, m.topic());
                ps.setString(3, m.key());
                ps.setString(4, m.eventType());
                ps.setBytes(5, m.payload().toByteArray());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write to the outbox", e);
        }
    }
}
