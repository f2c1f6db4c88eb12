package dev.marketops.maintenance.deadletter;

import dev.marketops.platform.outbox.OutboxPublisher;
import dev.marketops.platform.problem.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends dead letters back to the topic their consumer failed on, exactly as they were (key,
 * payload and original headers, event_id above all): every consumer is idempotent by event_id,
 * so a replay of an event that was applied after all, or a second replay, has no second effect.
 * A replay is recorded only once the broker has acknowledged it.
 */
@ApplicationScoped
public class DeadLetterReplayer {

    /** At most this many dead letters per replay request. */
    public static final int MAX_SELECTION = 1000;

    @Inject
    DeadLetterStore store;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private volatile KafkaProducer<String, byte[]> producer;

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                            new StringSerializer(), new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    void close(@Observes ShutdownEvent e) {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    public record Replayed(long id, String topic, int partition, long offset) {
    }

    /**
     * Replays the dead letters (a discarded one is refused with 409, the whole request with it),
     * waits for the broker's acknowledgements, then records them as replayed by {@code who}.
     */
    public List<Replayed> replay(List<DeadLetter> letters, long who) {
        for (DeadLetter d : letters) {
            if ("discarded".equals(d.status())) {
                throw ApiProblem.conflict("DISCARDED", "dead letter " + d.id() + " was discarded: " + d.discardReason())
                        .with("id", String.valueOf(d.id()));
            }
            if (d.replayTopic() == null) {
                throw ApiProblem.conflict("NO_ORIGINAL_TOPIC", "dead letter " + d.id() + " names no topic to replay to")
                        .with("id", String.valueOf(d.id()));
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetter d : letters) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(d.replayTopic(), d.key(), d.payload());
            boolean hasEventId = false;
            for (DeadLetter.Header h : d.originalHeaders()) {
                r.headers().add(h.key(), h.value());
                hasEventId |= OutboxPublisher.HEADER_EVENT_ID.equals(h.key());
            }
            if (!hasEventId && d.eventId() != null) { // stored before the headers were kept
                r.headers().add(OutboxPublisher.HEADER_EVENT_ID, d.eventId().getBytes(StandardCharsets.UTF_8));
            }
            r.headers().add("replayed-from-dead-letter", String.valueOf(d.id()).getBytes(StandardCharsets.UTF_8));
            sent.add(producer().send(r));
        }
        List<Replayed> out = new ArrayList<>();
        try {
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get(30, TimeUnit.SECONDS);
                out.add(new Replayed(letters.get(i).id(), m.topic(), m.partition(), m.offset()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("KAFKA_UNAVAILABLE", "interrupted while replaying");
        } catch (ExecutionException | TimeoutException e) {
            // those acknowledged are recorded; the rest can be replayed again (no second effect)
            record(out, who);
            throw ApiProblem.unavailable("KAFKA_UNAVAILABLE", "the broker did not take the replay: " + e.getMessage());
        }
        record(out, who);
        return out;
    }

    private void record(List<Replayed> done, long who) {
        if (!done.isEmpty()) {
            store.markReplayed(done.stream().map(Replayed::id).toList(), who);
            meters.counter("marketops_dead_letters_replayed_total").increment(done.size());
        }
    }
}
