package dev.marketops.search.projection;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every replica holds its own L1, so every replica must hear every change: a broadcast
 * consumer (no group, partitions assigned by hand, reading from the end) like platform's
 * ConfigChangeListener, not the workers' consumer groups that hand each event to one replica.
 */
@ApplicationScoped
public class CacheInvalidationListener {

    private static final Logger LOG = Logger.getLogger(CacheInvalidationListener.class);

    @Inject
    LocalItemCache l1;

    @ConfigProperty(name = "marketops.search.l1.listen", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> current;

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        running = true;
        Thread.ofPlatform().name("l1-invalidation-listener").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        KafkaConsumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        while (running) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                current = consumer;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : ChangeEvents.TOPICS) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(10))
                            .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                l1.invalidateAll(); // whatever was cached before we listened may be stale
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        try {
                            long id = r.value() == null ? 0 : ChangeEvents.itemId(r.topic(), r.value());
                            if (id > 0) {
                                l1.invalidate(id);
                            }
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            LOG.debugf("unreadable %s record at %d", r.topic(), r.offset());
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("L1 invalidation listener restarting after: %s", e.toString());
                    l1.invalidateAll();
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
