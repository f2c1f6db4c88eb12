package dev.marketops.search.catalog;

import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.StreamItemsRequest;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The catalogue (truth), listing-service's CatalogCommands: reads only, every call with a deadline. */
@ApplicationScoped
public class CatalogClient {

    private static final Logger LOG = Logger.getLogger(CatalogClient.class);
    /** Ids per GetItems call: a poll of 500 records is one call. */
    public static final int MAX_IDS_PER_CALL = 500;

    @GrpcClient("catalog")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    @ConfigProperty(name = "marketops.search.catalog.deadline", defaultValue = "PT5S")
    Duration deadline;
    @ConfigProperty(name = "marketops.search.catalog.attempts", defaultValue = "3")
    int attempts;
    @ConfigProperty(name = "marketops.search.reconcile.stream-deadline", defaultValue = "PT1H")
    Duration streamDeadline;

    /** Current snapshots of these items (reads are idempotent, so transient failures are retried). */
    public ItemSnapshots getItems(Collection<Long> itemIds) {
        List<Long> ids = new ArrayList<>(itemIds);
        ItemSnapshots.Builder all = ItemSnapshots.newBuilder();
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_CALL) {
            ItemRefs refs = ItemRefs.newBuilder().addAllItemIds(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_CALL))).build();
            ItemSnapshots got = withRetry(() -> catalog.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).getItems(refs));
            all.addAllItems(got.getItemsList()).addAllMissingItemIds(got.getMissingItemIdsList());
        }
        return all.build();
    }

    /** Pages of the catalogue in item id order; the blocking iterator pulls one page at a time (gRPC flow control). */
    public Iterator<ItemSnapshots> streamItems(StreamItemsRequest request) {
        return catalog.withDeadlineAfter(streamDeadline.toMillis(), TimeUnit.MILLISECONDS).streamItems(request);
    }

    /** Pages of snapshots only (drops the empty pages a server may send). */
    public Iterator<List<ItemSnapshot>> pages(StreamItemsRequest request) {
        Iterator<ItemSnapshots> it = streamItems(request);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<ItemSnapshot> next() {
                return it.next().getItemsList();
            }
        };
    }

    private <T> T withRetry(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                boolean transientFailure = switch (e.getStatus().getCode()) {
                    case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> true;
                    default -> false;
                };
                if (!transientFailure || attempt >= attempts) {
                    throw e;
                }
                LOG.warnf("catalogue GetItems attempt %d failed: %s", attempt, e.getStatus());
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
