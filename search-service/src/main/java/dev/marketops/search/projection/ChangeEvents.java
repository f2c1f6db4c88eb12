package dev.marketops.search.projection;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.marketops.proto.events.GoodsStatusChangedEvent;
import dev.marketops.proto.events.InventoryChangedEvent;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.events.PriceChangedEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The catalogue changes the read side follows, and the item each event names. */
public final class ChangeEvents {

    public static final List<String> TOPICS = List.of("listing.published", "price.changed", "inventory.changed", "goods.status.changed",
            "item.changed");

    private ChangeEvents() {
    }

    /** The item id an event names; 0 when it names none (a listing event before publication). */
    public static long itemId(String topic, byte[] value) throws InvalidProtocolBufferException {
        return switch (topic) {
            case "listing.published" -> ListingEvent.parseFrom(value).getItemId();
            case "price.changed" -> PriceChangedEvent.parseFrom(value).getItemId();
            case "inventory.changed" -> InventoryChangedEvent.parseFrom(value).getItemId();
            case "goods.status.changed" -> GoodsStatusChangedEvent.parseFrom(value).getItemId();
            case "item.changed" -> dev.marketops.proto.events.ItemChangedEvent.parseFrom(value).getItemId();
            default -> 0;
        };
    }

    /**
     * The distinct items a poll names. The projections are rebuilt from the catalogue's
     * current snapshot, so only the ids matter: ten events of one item are one read.
     * An unreadable record is skipped (a producer bug must not block the partition).
     */
    public static Set<Long> itemIds(Iterable<ConsumerRecord<String, byte[]>> records, Runnable onUnreadable) {
        Set<Long> ids = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                long id = r.value() == null ? 0 : itemId(r.topic(), r.value());
                if (id > 0) {
                    ids.add(id);
                }
            } catch (InvalidProtocolBufferException e) {
                onUnreadable.run();
            }
        }
        return ids;
    }
}
