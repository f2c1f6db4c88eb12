package dev.marketops.platform.config;

import dev.marketops.proto.events.ConfigPublishEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
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
 * Every replica must drop its cached configuration when config-service publishes a change,
 * so this is a broadcast: a group-less consumer reading config.publish from the end, not a
 * consumer group that would hand each event to one replica only.
 */
@ApplicationScoped
public class ConfigChangeListener {

    private static final Logger LOG = Logger.getLogger(ConfigChangeListener.class);
    public static final String TOPIC = "config.publish";

    @Inject
    CategoryDirectory directory;

    @ConfigProperty(name = "marketops.config-cache.listen", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> current;
    private Thread thread;

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("config-change-listener").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        KafkaConsumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup(); // interrupting the thread instead would break the consumer's close
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        while (running) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                current = consumer;
                List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                        .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(5_000);
                    continue;
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                // Anything cached before we joined may be stale: start clean.
                directory.invalidateAll();
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        ConfigPublishEvent e = ConfigPublishEvent.parseFrom(r.value());
                        directory.invalidate(e.getConfigId());
                        LOG.debugf("config %s %d changed; cache dropped", e.getConfigType(), e.getConfigId());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("config change listener restarting after: %s", e.toString());
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
