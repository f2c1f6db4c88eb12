package dev.marketops.maintenance.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.Scrape;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Consumer lag per group from the brokers (the local Kafka): a group that committed 2 of a topic's 5
 * records lags by 3, and the scrape shows it as {@code kafka_consumer_group_lag{group, topic}}.
 */
@QuarkusTest
class KafkaLagMonitorTest {

    @Inject
    KafkaLagMonitor monitor;
    @Inject
    PrometheusMeterRegistry prometheus;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aGroupThatCommittedTwoOfFiveRecordsLagsByThree() throws Exception {
        String topic = "lag.test." + UUID.randomUUID();
        String group = "lag-test-" + UUID.randomUUID();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));
        }

        assertEquals(3L, monitor.read().get(List.of(group, topic)));
        monitor.poll();
        Scrape s = Scrape.parse(prometheus.scrape());
        assertEquals(3.0, s.sum("kafka_consumer_group_lag", "group", group, "topic", topic));
    }
}
