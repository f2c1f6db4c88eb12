package dev.marketops.maintenance;

import dev.marketops.platform.consumer.EventConsumer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer of the platform's kind (idempotent by event_id with the platform's EventConsumer)
 * on a test topic, for the dead-letter replay test: it counts every delivery and every applied
 * effect per event id. (Channel "replay-probe", configured for the test profile only.)
 */
@ApplicationScoped
public class ReplayProbe {

    static final String TOPIC = "maintenance.replay-probe";

    private final Map<String, Integer> delivered = new ConcurrentHashMap<>();
    private final Map<String, Integer> applied = new ConcurrentHashMap<>();

    @Inject
    EventConsumer consumer;

    /** (Methods, not fields: the test holds a client proxy.) */
    public int delivered(String eventId) {
        return delivered.getOrDefault(eventId, 0);
    }

    public int applied(String eventId) {
        return applied.getOrDefault(eventId, 0);
    }

    @Incoming("replay-probe")
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        String id = EventConsumer.eventId(record);
        consumer.process("maintenance-replay-probe", record, r -> applied.merge(id, 1, Integer::sum));
        delivered.merge(id, 1, Integer::sum);
    }
}
