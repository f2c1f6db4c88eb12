package dev.marketops.config.publish;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.events.ConfigPublishEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Announces a configuration change on {@value #TOPIC} through the outbox, in the caller's
 * transaction. The config id and the key are always the category id, whatever changed, so
 * callers that cache per category (CategoryDirectory, the validation engine) drop one entry.
 */
@ApplicationScoped
public class ConfigPublisher {

    public static final String TOPIC = "config.publish";

    @Inject
    Outbox outbox;

    /** eventType is "<config_type>.<action>", e.g. category_attribute.created, for consumers that filter on the header. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ConfigPublishEvent changed(ConfigType type, long categoryId, String action) {
        ConfigPublishEvent event = ConfigPublishEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTimestamp(System.currentTimeMillis())
                .setConfigType(type.wire)
                .setConfigId(categoryId)
                .build();
        outbox.enqueue(TOPIC, Long.toString(categoryId), type.wire + "." + action, event.getEventId(), event);
        return event;
    }

    /** One event per config id, written in one statement (a reorder or a move touches several categories). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changedAll(ConfigType type, java.util.Collection<Long> configIds, String action) {
        java.util.List<Outbox.Message> messages = new java.util.ArrayList<>(configIds.size());
        for (long id : configIds) {
            ConfigPublishEvent event = ConfigPublishEvent.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setTimestamp(System.currentTimeMillis())
                    .setConfigType(type.wire)
                    .setConfigId(id)
                    .build();
            messages.add(new Outbox.Message(TOPIC, Long.toString(id), type.wire + "." + action, event.getEventId(), event));
        }
        outbox.enqueueAll(messages);
    }
}
