package dev.marketops.platform.outbox;

import com.google.protobuf.MessageLite;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes events into the service's outbox table inside the caller's transaction, so the
 * state change and the event that announces it commit or roll back together.
 * {@link OutboxPublisher} sends them to Kafka after commit, woken by the commit itself.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT =
            "INSERT INTO outbox_event (event_id, topic, msg_key, event_type, payload) VALUES (?, ?, ?, ?, ?)";

    /** Marks a transaction whose commit already wakes the publisher. */
    private static final Object WAKE_ON_COMMIT = new Object();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    OutboxPublisher publisher;

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
        wakePublisherOnCommit();
    }

    /** Once per transaction: after it commits, the publisher looks at once instead of after its idle wait. */
    private void wakePublisherOnCommit() {
        if (transactions.getResource(WAKE_ON_COMMIT) != null) {
            return;
        }
        transactions.putResource(WAKE_ON_COMMIT, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    publisher.wake();
                }
            }
        });
    }
}
