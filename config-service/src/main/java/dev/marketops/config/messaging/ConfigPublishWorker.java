package dev.marketops.config.messaging;

import dev.marketops.config.homepage.HomepageDistribution;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.events.ConfigPublishEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * ConfigPublishWorker (main seed 9.7.1): consumes config.publish and, for a published homepage
 * group, writes its live version to the static files and the N Redis copies
 * ({@link HomepageDistribution}). Distributing the live version (not the one the event was about)
 * makes a replay or an out-of-date event harmless. Category events need no distribution: callers
 * drop their caches on them directly.
 */
@ApplicationScoped
public class ConfigPublishWorker {

    static final String CONSUMER = "config-publish-worker";

    private final EventConsumer consumer;
    private final HomepageDistribution distribution;

    public ConfigPublishWorker(EventConsumer consumer, HomepageDistribution distribution) {
        this.consumer = consumer;
        this.distribution = distribution;
    }

    @Incoming("config-publish")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        ConfigPublishEvent event = readable(record);
        if (event != null && !ConfigType.HOMEPAGE.wire.equals(event.getConfigType())) {
            return; // skipped before any database work
        }
        // An unreadable record is parsed again inside, so it fails there: retried, then dead-lettered.
        consumer.process(CONSUMER, record, r -> distribution.distribute(
                (event != null ? event : ConfigPublishEvent.parseFrom(r.value())).getConfigId()));
    }

    private static ConfigPublishEvent readable(ConsumerRecord<String, byte[]> record) {
        try {
            return ConfigPublishEvent.parseFrom(record.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return null;
        }
    }
}
