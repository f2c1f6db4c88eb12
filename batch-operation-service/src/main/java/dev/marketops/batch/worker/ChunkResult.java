package dev.marketops.batch.worker;

import dev.marketops.platform.outbox.Outbox;
import java.util.List;

/** The outcome per item, and events to emit in the same transaction that records them. */
public record ChunkResult(List<ItemOutcome> outcomes, List<Outbox.Message> events) {

    public static ChunkResult of(List<ItemOutcome> outcomes) {
        return new ChunkResult(outcomes, List.of());
    }
}
