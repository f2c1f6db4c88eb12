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

    /**
     * The seed's worker type (deploy/helm, /work/brief/WORKERS.md) that runs batches of this
     * operation; a type without its own row runs in ItemBatchEditWorker replicas.
     */
    public static String workerType(OperationType type) {
        return switch (type.name()) {
            case "LISTING_UPLOAD" -> "excel-parse-worker";
            case "PRICE_ADJUST" -> "price-update-worker";
            case "INVENTORY_UPDATE" -> "inventory-update-worker";
            case "VOUCHER_CODE_IMPORT" -> "voucher-code-import-worker";
            case "STATUS_CHANGE" -> "batch-status-worker";
            default -> "item-batch-edit-worker";
        };
    }

    /** Whether this replica runs batches of the type (its worker switch, default on). */
    public static boolean runsHere(OperationType type) {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("marketops.workers." + workerType(type) + ".enabled", Boolean.class).orElse(true);
    }

    /** Wire names of the operation types this replica runs. */
    public static String[] typesRunHere() {
        return java.util.Arrays.stream(OperationType.values()).filter(BatchWorkers::runsHere)
                .map(t -> t.name().toLowerCase()).toArray(String[]::new);
    }
}
