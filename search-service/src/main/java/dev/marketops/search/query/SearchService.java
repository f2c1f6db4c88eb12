package dev.marketops.search.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.search.index.SearchIndex;
import dev.marketops.search.projection.ItemProjection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The product list and its facets over the search index. */
@ApplicationScoped
public class SearchService {

    public record ItemHit(long itemId, long categoryId, List<Long> categoryPath, long shopId, String title,
                          String status, String sourceType, List<String> tags, BigDecimal price, long priceCents,
                          BigDecimal faceValue, long stock, long version, long createdAt, long updatedAt,
                          List<ItemProjection.SkuProjection> skus,
                          // the running promotion's price (main seed 4.3.2); null without one
                          dev.marketops.search.promotion.PromotionPrice.Applied promotion) {
    }

    /** A page of the list; {@code nextCursor} (for searchAfter) is null on the last page. */
    public record SearchPage(List<ItemHit> items, int page, int size, long total, String sort, String nextCursor) {
    }

    public record Count(String key, long count) {
    }

    /** {@code categoryTree} counts each category with its descendants (for a tree of categories). */
    public record Facets(long total, List<Count> categories, List<Count> categoryTree, List<Count> statuses) {
    }

    private static final TypeReference<List<ItemProjection.SkuProjection>> SKUS = new TypeReference<>() {
    };

    @Inject
    SearchIndex index;
    @Inject
    ObjectMapper json;
    @Inject
    TagPriorities tagPriorities;
    @Inject
    dev.marketops.search.promotion.PromotionBook promotions;

    /**
     * userType: whose promotional prices the hits show (PromotionBook.userType). No thread waits:
     * the engine's query and (when the kept list has expired) the promotions are asked at once.
     */
    public Uni<SearchPage> items(SearchCriteria c, String userType) {
        Uni<Map<String, Integer>> ranking = c.sortField().equals("tag_priority") ? tagPriorities.later() : Uni.createFrom().item(Map.of());
        return ranking.chain(ranks -> {
            Uni<JsonNode> answer = index.searchLater(SearchQueries.itemsRequest(json, c, ranks, null))
                    .onFailure().transform(SearchService::problem);
            return Uni.combine().all().unis(answer, promotions.pricingLater(userType)).asTuple();
        }).map(t -> page(c, t.getItem1(), t.getItem2()));
    }

    /**
     * A page of an export: the filters narrowed to {@code onlyItemIds} (null: all), without
     * promotional prices (an export carries the list price, which is what a price sheet sets).
     */
    public SearchPage exportPage(SearchCriteria c, java.util.Collection<Long> onlyItemIds) {
        return page(c, run(SearchQueries.itemsRequest(json, c,
                c.sortField().equals("tag_priority") ? tagPriorities.current() : Map.of(), onlyItemIds)), null);
    }

    /** pricing: null for list prices only. */
    private SearchPage page(SearchCriteria c, JsonNode answer, dev.marketops.search.promotion.PromotionBook.Pricing pricing) {
        List<ItemHit> items = new ArrayList<>();
        JsonNode last = null;
        for (JsonNode hit : answer.path("hits").path("hits")) {
            items.add(hit(hit.path("_source"), pricing));
            last = hit;
        }
        String next = last != null && items.size() == c.size()
                ? new SearchCursor(c.sortSpec(), (ArrayNode) last.path("sort")).encode() : null;
        return new SearchPage(items, c.page(), c.size(), answer.path("hits").path("total").path("value").asLong(), c.sortSpec(), next);
    }

    /** How many items the filters (and selection, when not null) match. */
    public long count(SearchCriteria c, java.util.Collection<Long> onlyItemIds) {
        return run(SearchQueries.countRequest(json, c, onlyItemIds)).path("hits").path("total").path("value").asLong();
    }

    public Facets facets(SearchCriteria c) {
        JsonNode answer = run(SearchQueries.facetsRequest(json, c));
        return new Facets(answer.path("hits").path("total").path("value").asLong(),
                buckets(answer.path("aggregations").path("categories")), buckets(answer.path("aggregations").path("category_tree")),
                buckets(answer.path("aggregations").path("statuses")));
    }

    private JsonNode run(com.fasterxml.jackson.databind.node.ObjectNode request) {
        try {
            return index.search(request);
        } catch (RuntimeException e) {
            throw problem(e);
        }
    }

    /** What the caller is told when the engine refuses or does not answer (other failures pass as they are). */
    private static RuntimeException problem(Throwable e) {
        if (e instanceof SearchIndex.SearchEngineException se) {
            return se.status >= 400 && se.status < 500
                    ? ApiProblem.badRequest("INVALID_QUERY", "the search engine refused the query: " + se.getMessage())
                    : ApiProblem.unavailable("SEARCH_UNAVAILABLE", "the search engine did not answer: " + se.getMessage());
        }
        if (e instanceof UncheckedIOException) {
            return ApiProblem.unavailable("SEARCH_UNAVAILABLE", "the search engine did not answer: " + e.getMessage());
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

    private static List<Count> buckets(JsonNode agg) {
        List<Count> out = new ArrayList<>();
        for (JsonNode b : agg.path("buckets")) {
            out.add(new Count(b.path("key").asText(), b.path("doc_count").asLong()));
        }
        return out;
    }

    private ItemHit hit(JsonNode s, dev.marketops.search.promotion.PromotionBook.Pricing pricing) {
        List<Long> path = new ArrayList<>();
        s.path("category_path").forEach(n -> path.add(n.asLong()));
        List<String> tags = new ArrayList<>();
        s.path("tags").forEach(n -> tags.add(n.asText()));
        List<ItemProjection.SkuProjection> skus = json.convertValue(s.path("skus"), SKUS);
        return new ItemHit(s.path("item_no").asLong(), s.path("category_id").asLong(), path, s.path("shop_id").asLong(),
                s.path("title").asText(), s.path("status").asText(), s.path("source_type").asText(), tags,
                s.path("price").decimalValue(), s.path("price_cents").asLong(), s.path("face_value").decimalValue(),
                s.path("stock").asLong(), s.path("version").asLong(), s.path("created_at").asLong(),
                s.path("updated_at").asLong(), skus == null ? List.of() : skus,
                pricing != null ? pricing.priceOf(s.path("item_no").asLong(), path, s.path("price_cents").asLong()).orElse(null) : null);
    }
}
