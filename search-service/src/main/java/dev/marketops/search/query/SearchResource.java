package dev.marketops.search.query;

import dev.marketops.search.projection.ItemReader;
import dev.marketops.search.projection.ItemView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the admin product list calls: one item, the filtered list, and its facet counts. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    @Inject
    ItemReader reader;
    @Inject
    SearchService search;
    @Inject
    ReadScope scope;

    @GET
    @Path("items/{itemId}")
    public ItemView item(@PathParam("itemId") String itemId) {
        long id;
        try {
            id = Long.parseLong(itemId);
        } catch (NumberFormatException e) {
            throw dev.marketops.platform.problem.ApiProblem.invalidField("itemId", "must be an integer", itemId);
        }
        ItemView item = reader.get(id);
        Long own = scope.merchantShop();
        if (own != null && own != item.shopId()) {
            // Not "forbidden": another shop's item ids are not the merchant's business.
            throw dev.marketops.platform.problem.ApiProblem.notFound("ITEM_NOT_FOUND", "item " + id + " does not exist").with("itemId", id);
        }
        return item;
    }

    @GET
    @Path("search/items")
    public SearchService.SearchPage items(@QueryParam("categoryId") String categoryId, @QueryParam("status") String status,
                                          @QueryParam("sourceType") String sourceType, @QueryParam("shopId") String shopId,
                                          @QueryParam("merchantId") String merchantId,
                                          @QueryParam("priceMin") String priceMin, @QueryParam("priceMax") String priceMax,
                                          @QueryParam("stockMin") String stockMin, @QueryParam("stockMax") String stockMax,
                                          @QueryParam("tags") List<String> tags,
                                          @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
                                          @QueryParam("updatedFrom") String updatedFrom, @QueryParam("updatedTo") String updatedTo,
                                          @QueryParam("q") String q, @QueryParam("sort") String sort,
                                          @QueryParam("page") String page, @QueryParam("size") String size,
                                          @QueryParam("searchAfter") String searchAfter) {
        return search.items(SearchCriteria.parse(new SearchCriteria.Raw(categoryId, status, sourceType, scoped(shopId, merchantId), null,
                priceMin, priceMax, stockMin, stockMax, tags, createdFrom, createdTo, updatedFrom, updatedTo, q, sort,
                page, size, searchAfter)));
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
        return scope.shopFilter(shopId == null || shopId.isBlank() ? (merchantId == null || merchantId.isBlank() ? null : merchantId) : shopId);
    }
}
