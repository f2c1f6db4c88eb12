package dev.marketops.search.query;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import dev.marketops.search.projection.ItemReader;
import dev.marketops.search.projection.ItemView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * What the admin product list calls: one item, the filtered list, and its facet counts. Staff
 * with catalogue:read see every shop; a merchant is confined to its own shop (the token's
 * merchant_id) inside the query itself: the shop filter is forced to its shop, and another
 * shop's item id answers 404 like an id that does not exist.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.CATALOGUE_READ)
public class SearchResource {

    @Inject
    ItemReader reader;
    @Inject
    SearchService search;
    @Inject
    Caller caller;
    @Inject
    dev.marketops.search.promotion.PromotionBook promotions;
    @Inject
    dev.marketops.search.index.CategoryPaths categoryPaths;

    @GET
    @Path("items/{itemId}")
    public PricedItem item(@PathParam("itemId") String itemId, @QueryParam("userType") String userType) {
        long id;
        try {
            id = Long.parseLong(itemId);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("itemId", "must be an integer", itemId);
        }
        ItemView item = reader.get(id);
        Long own = caller.merchantShop();
        if (own != null && own != item.shopId()) {
            // Not "forbidden": another shop's item ids are not the merchant's business, and the
            // answer must not tell an existing id from a missing one.
            throw ApiProblem.notFound("ITEM_NOT_FOUND", "item " + id + " does not exist").with("itemId", id);
        }
        return new PricedItem(item, promotions.priceOf(item.itemId(), categoryPaths.pathOf(item.categoryId()), item.priceCents(),
                dev.marketops.search.promotion.PromotionBook.userType(userType)).orElse(null));
    }

    /** The item with the running promotion's price (main seed 4.3.2); promotion is null without one. */
    public record PricedItem(@com.fasterxml.jackson.annotation.JsonUnwrapped ItemView item,
                             dev.marketops.search.promotion.PromotionPrice.Applied promotion) {
    }

    @GET
    @Path("search/items")
    public io.smallrye.mutiny.Uni<SearchService.SearchPage> items(@QueryParam("categoryId") String categoryId, @QueryParam("status") String status,
                                          @QueryParam("sourceType") String sourceType, @QueryParam("shopId") String shopId,
                                          @QueryParam("merchantId") String merchantId,
                                          @QueryParam("priceMin") String priceMin, @QueryParam("priceMax") String priceMax,
                                          @QueryParam("stockMin") String stockMin, @QueryParam("stockMax") String stockMax,
                                          @QueryParam("tags") List<String> tags,
                                          @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
                                          @QueryParam("updatedFrom") String updatedFrom, @QueryParam("updatedTo") String updatedTo,
                                          @QueryParam("q") String q, @QueryParam("sort") String sort,
                                          @QueryParam("page") String page, @QueryParam("size") String size,
                                          @QueryParam("searchAfter") String searchAfter,
                                          @QueryParam("userType") String userType) {
        String reader = dev.marketops.search.promotion.PromotionBook.userType(userType);
        return search.items(SearchCriteria.parse(new SearchCriteria.Raw(categoryId, status, sourceType, scoped(shopId, merchantId), null,
                priceMin, priceMax, stockMin, stockMax, tags, createdFrom, createdTo, updatedFrom, updatedTo, q, sort,
                page, size, searchAfter)), reader);
    }

    @GET
    @Path("search/facets")
    public SearchService.Facets facets(@QueryParam("categoryId") String categoryId, @QueryParam("status") String status,
                                       @QueryParam("sourceType") String sourceType, @QueryParam("shopId") String shopId,
                                       @QueryParam("merchantId") String merchantId,
                                       @QueryParam("priceMin") String priceMin, @QueryParam("priceMax") String priceMax,
                                       @QueryParam("stockMin") String stockMin, @QueryParam("stockMax") String stockMax,
                                       @QueryParam("tags") List<String> tags,
                                       @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
                                       @QueryParam("updatedFrom") String updatedFrom, @QueryParam("updatedTo") String updatedTo,
                                       @QueryParam("q") String q) {
        return search.facets(SearchCriteria.parse(new SearchCriteria.Raw(categoryId, status, sourceType, scoped(shopId, merchantId), null,
                priceMin, priceMax, stockMin, stockMax, tags, createdFrom, createdTo, updatedFrom, updatedTo, q, null,
                null, null, null)));
    }

    private String scoped(String shopId, String merchantId) {
        return ShopScope.scoped(caller.merchantShop(), shopId, merchantId);
    }
}
