package dev.marketops.batch.worker;

import dev.marketops.batch.WireEnums;
import dev.marketops.batch.batch.OperationType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;

/** Every operation's worker by its type: the routing table of operation.batch.created. */
@ApplicationScoped
public class BatchWorkers {

    private final Map<OperationType, BatchWorker> byType = new EnumMap<>(OperationType.class);

    @Inject
    public BatchWorkers(@Any Instance<BatchWorker> all) {
        for (BatchWorker w : all) {
            byType.put(w.type(), w);
        }
    }

    public BatchWorker get(OperationType type) {
        BatchWorker w = byType.get(type);
        if (w == null) {
            throw new IllegalStateException("no worker for " + type);
        }
        return w;
    }

    public BatchWorker get(String wireType) {
        return get(WireEnums.parse(OperationType.class, "operationType", wireType));
    }
}
