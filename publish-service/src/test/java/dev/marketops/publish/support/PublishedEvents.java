package dev.marketops.publish.support;

import dev.marketops.proto.events.ListingEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts listing.published events per task from the moment it is opened: a plain consumer
 * assigned to every partition at the current end, so no group join races the test.
 */
public final class PublishedEvents implements AutoCloseable {

    public static final String TOPIC = "listing.published";

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<Long, Integer> countByTask = new HashMap<>();
    private final Map<Long, Long> itemByTask = new HashMap<>();
    private final Map<Long, Long> timestampByTask = new HashMap<>();

    public PublishedEvents(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "publish-test-" + UUID.randomUUID());
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10))); // resolve "end" now, before the test acts
    }

    /** Reads what arrived so far (one short poll round). */
    public PublishedEvents poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            try {
                ListingEvent e = ListingEvent.parseFrom(r.value());
                countByTask.merge(e.getTaskId(), 1, Integer::sum);
                itemByTask.put(e.getTaskId(), e.getItemId());
                timestampByTask.put(e.getTaskId(), e.getTimestamp());
            } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                // not ours
            }
        }
        return this;
    }

    /** Polls for a while longer, so that a second (wrong) event would have been seen. */
    public PublishedEvents settle(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
        return this;
    }

    public int count(long taskId) {
        return countByTask.getOrDefault(taskId, 0);
    }

    public long countAll(Set<Long> taskIds) {
        return taskIds.stream().filter(countByTask::containsKey).count();
    }

    public int totalFor(Set<Long> taskIds) {
        return taskIds.stream().mapToInt(this::count).sum();
    }

    /** When listing-service made the task ONLINE (the event's timestamp, epoch millis); 0 when not seen. */
    public long timestampOf(long taskId) {
        return timestampByTask.getOrDefault(taskId, 0L);
    }

    public long itemOf(long taskId) {
        return itemByTask.getOrDefault(taskId, 0L);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
