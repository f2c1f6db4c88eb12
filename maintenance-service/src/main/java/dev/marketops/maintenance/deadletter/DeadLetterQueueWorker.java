package dev.marketops.maintenance.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps every record that reaches any {@code <topic>.dlq} (pattern subscription, see
 * application.properties) in dlq_record, where operators inspect it and later replay or
 * discard it. A redelivered record is stored once. If the database is down the insert throws
 * and the channel fails (its health turns DOWN) rather than committing an offset for a record
 * that was never stored.
 */
@ApplicationScoped
public class DeadLetterQueueWorker {

    @Inject
    DeadLetterStore store;
    @Inject
    MeterRegistry meters;

    @Incoming("dead-letters")
    @Blocking
    public void store(ConsumerRecord<String, byte[]> record) {
        boolean stored = store.insert(DeadLetter.of(record));
        meters.counter("marketops_dead_letters_received_total", "outcome", stored ? "stored" : "duplicate").increment();
    }
}
