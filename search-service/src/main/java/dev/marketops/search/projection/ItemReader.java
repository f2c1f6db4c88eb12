package dev.marketops.search.projection;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.search.catalog.CatalogClient;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** One item for readers: L1 (this process), then L2 (Redis), then the catalogue itself, which also refills L2. */
@ApplicationScoped
public class ItemReader {

    @Inject
    LocalItemCache l1;
    @Inject
    RedisProjection redis;
    @Inject
    CatalogClient catalog;

    public ItemView get(long itemId) {
        ItemView cached = l1.get(itemId);
        if (cached != null) {
            return cached.from("l1");
        }
        Map<String, String> hash = redis.read(List.of(itemId)).get(itemId);
        if (hash != null) {
            ItemView view = redis.view(hash, "redis");
            l1.put(view);
            return view;
        }
        ItemSnapshots found;
        try {
            found = catalog.getItems(List.of(itemId));
        } catch (StatusRuntimeException e) {
            throw ApiProblem.unavailable("CATALOGUE_UNAVAILABLE", "item " + itemId + " is not in the projection and the catalogue did not answer: "
                    + e.getStatus().getCode());
        }
        List<ItemProjection> items = ItemProjection.inScope(found.getItemsList());
        if (items.isEmpty()) {
            throw ApiProblem.notFound("ITEM_NOT_FOUND", "item " + itemId + " does not exist or was never online").with("itemId", itemId);
        }
        redis.write(items, false); // version-guarded: never older than what a worker wrote meanwhile
        ItemView view = ItemView.of(items.get(0), "catalogue");
        l1.put(view);
        return view;
    }
}
