package dev.marketops.config.attribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.StreamItemsRequest;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The online items an attribute change would invalidate, asked of the catalogue (listing-service's
 * CatalogCommands.StreamItems: pages of up to 2,000 online items of the category and its subtree, in
 * item id order), so the operator sees the count and a sample before confirming.
 */
@ApplicationScoped
public class AffectedItems {

    /** How many online items fail the new definition, the first few of them, and how many were looked at. */
    public record Count(long affected, List<String> sampleItemIds, long scanned) {
    }

    static final int SAMPLE = 10;
    private static final int PAGE = 2000;

    @GrpcClient("catalog")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "marketops.config.impact.deadline", defaultValue = "PT60S")
    Duration deadline;

    public Count count(Collection<Long> categoryIds, AttributeDefinition after, List<AttributeImpact.Breaking> breaking) {
        StreamItemsRequest request = StreamItemsRequest.newBuilder().addAllCategoryIds(categoryIds)
                .addStatuses("online").setPageSize(PAGE).build();
        long affected = 0;
        long scanned = 0;
        List<String> sample = new ArrayList<>();
        try {
            Iterator<ItemSnapshots> pages = catalog.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .streamItems(request);
            while (pages.hasNext()) {
                for (ItemSnapshot item : pages.next().getItemsList()) {
                    scanned++;
                    if (AttributeImpact.invalidates(after, breaking, attributes(item))) {
                        affected++;
                        if (sample.size() < SAMPLE) {
                            sample.add(Long.toString(item.getItemId()));
                        }
                    }
                }
            }
        } catch (StatusRuntimeException e) {
            // Without the count the change cannot be judged: refused rather than applied blind.
            throw ApiProblem.unavailable("CATALOGUE_UNAVAILABLE",
                    "the catalogue could not be asked which online items this change affects: " + e.getStatus().getCode()
                            + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"));
        }
        return new Count(affected, sample, scanned);
    }

    private JsonNode attributes(ItemSnapshot item) {
        if (item.getAttributesJson().isBlank()) {
            return null;
        }
        try {
            return json.readTree(item.getAttributesJson());
        } catch (IOException e) {
            return null; // an unreadable document has no value for the attribute
        }
    }
}
