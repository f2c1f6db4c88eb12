package dev.marketops.maintenance.deadletter;

import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import dev.marketops.platform.outbox.OutboxPublisher;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/** A record taken from a {@code <topic>.dlq}, with what its headers say about where it failed and why. */
public record DeadLetter(Long id, String topic, int partition, long offset, String key, String eventId,
                         String eventType, String reason, String cause, String originalTopic,
                         Integer originalPartition, Long originalOffset, byte[] payload,
                         OffsetDateTime receivedAt, String status, List<Header> originalHeaders, int replayCount,
                         String discardReason) {

    /** A header as stored (dlq_record.headers) and sent again on replay. */
    public record Header(String key, byte[] value) {
    }

    public static DeadLetter of(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        List<Header> original = new ArrayList<>();
        for (org.apache.kafka.common.header.Header x : h) {
            if (!x.key().startsWith("dead-letter-")) {
                original.add(new Header(x.key(), x.value()));
            }
        }
        return new DeadLetter(null, r.topic(), r.partition(), r.offset(), r.key(),
                header(h, OutboxPublisher.HEADER_EVENT_ID), header(h, OutboxPublisher.HEADER_EVENT_TYPE),
                header(h, DEAD_LETTER_REASON), header(h, DEAD_LETTER_CAUSE), header(h, DEAD_LETTER_TOPIC),
                number(header(h, DEAD_LETTER_PARTITION), Integer::valueOf),
                number(header(h, DEAD_LETTER_OFFSET), Long::valueOf),
                r.value(), java.time.Instant.ofEpochMilli(r.timestamp()).atOffset(java.time.ZoneOffset.UTC), "new",
                original, 0, null);
    }

    /** Where a replay goes: the topic the failed consumer read, else the .dlq topic's name without ".dlq". */
    public String replayTopic() {
        if (originalTopic != null && !originalTopic.isBlank()) {
            return originalTopic;
        }
        return topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : null;
    }

    private static String header(Headers headers, String name) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A malformed number header from a foreign producer must not stop the DLQ channel. */
    private static <T> T number(String value, java.util.function.Function<String, T> parse) {
        try {
            return value == null ? null : parse.apply(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
