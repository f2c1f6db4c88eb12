package dev.marketops.listing.catalogue.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.listing.catalogue.CatalogueReads;
import dev.marketops.listing.catalogue.GoodsStatusService;
import dev.marketops.listing.catalogue.ShopStatusService;
import dev.marketops.listing.catalogue.domain.GoodsStatusRules;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.listing.shop.Shops;
import dev.marketops.listing.task.ListingPages;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import io.quarkus.security.PermissionsAllowed;
import dev.marketops.platform.rest.Page;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.ItemSnapshots;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operators' and merchants' view of the catalogue and its goods status (seed 004). Who acts
 * comes from the bearer token ({@link Caller}): role risk_control acts as risk control, operator
 * and admin as operators, merchant as the merchant of its own shop (token merchant_id). A body's
 * operatorType may only repeat that (400 IDENTITY_MISMATCH). A merchant reads and changes only
 * its own shop's goods: another shop's item is not found (404, or NOT_FOUND per item).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GoodsResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record SlotView(String date, long priceCents, long stock) {
    }

    public record SkuView(long skuId, String skuCode, String name, String status, long salePriceCents, long faceValueCents,
                          long stock, List<SlotView> calendar) {
    }

    public record ItemView(long itemId, long taskId, long categoryId, long shopId, String title, String status, long version,
                           String sourceType, String inventoryModel, String priceModel, List<String> tags,
                           Map<String, Object> attributes, List<SkuView> skus, long minPriceCents, long totalStock,
                           long createdAt, long updatedAt, Long firstOnlineAt, Long lastOnlineAt, Long lastOfflineAt) {

        static ItemView of(ItemSnapshot s) {
            Map<String, Object> attributes;
            try {
                attributes = JSON.readValue(s.getAttributesJson().isEmpty() ? "{}" : s.getAttributesJson(), new TypeReference<>() { });
            } catch (Exception e) {
                attributes = Map.of();
            }
            List<SkuView> skus = s.getSkusList().stream().map(k -> new SkuView(k.getSkuId(), k.getSkuCode(), k.getName(),
                    k.getStatus(), k.getSalePriceCents(), k.getFaceValueCents(), k.getStock(), k.getCalendarList().stream()
                    .map(d -> new SlotView(d.getDate(), d.getPriceCents(), d.getStock())).toList())).toList();
            return new ItemView(s.getItemId(), s.getTaskId(), s.getCategoryId(), s.getShopId(), s.getTitle(), s.getStatus(),
                    s.getVersion(), s.getSourceType(), s.getInventoryModel(), s.getPriceModel(), s.getTagsList(), attributes, skus,
                    s.getMinPriceCents(), s.getTotalStock(), s.getCreatedAt(), s.getUpdatedAt(), time(s.getFirstOnlineAt()),
                    time(s.getLastOnlineAt()), time(s.getLastOfflineAt()));
        }

        private static Long time(long millis) {
            return millis == 0 ? null : millis;
        }
    }

    public record StatusRequest(List<Long> itemIds, String targetStatus, String reason, String operatorType, String requestId,
                                Boolean dryRun) {
    }

    public record ShopStatusRequest(String targetStatus, String reason, String operatorType, String requestId) {
    }

    public record ResultView(int index, long itemId, boolean ok, String errorCode, String errorMessage, long itemVersion,
                             String before, String after) {
    }

    public record StatusView(int succeeded, int failed, List<ResultView> results) {
    }

    public record ShopAccepted(String requestId, long goodsCount, boolean replayed) {
    }

    record Operator(String type, long id) {
    }

    @Inject
    Caller caller;
    @Inject
    CatalogueReads reads;
    @Inject
    GoodsStatusService goods;
    @Inject
    ShopStatusService shops;

    @GET
    @Path("items/{itemId}")
    @PermissionsAllowed(Permission.Names.CATALOGUE_READ)
    public ItemView item(@PathParam("itemId") long itemId) {
        ItemSnapshots s = reads.get(List.of(itemId), Shops.scopeOf(caller.actor()));
        if (s.getItemsCount() == 0) {
            throw ApiProblem.notFound("UNKNOWN_ITEM", "no item with id " + itemId).with("itemId", itemId);
        }
        return ItemView.of(s.getItems(0));
    }

    /** A merchant's list is its own shop's goods (a shopId naming another shop is refused). */
    @GET
    @Path("items")
    @PermissionsAllowed(Permission.Names.CATALOGUE_READ)
    public Page<ItemView> items(@QueryParam("categoryId") Long categoryId, @QueryParam("shopId") Long shopId,
                                @QueryParam("status") String status, @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("20") int size) {
        ListingPages.check(page, size);
        Long scope = Shops.scopeOf(caller.actor());
        if (scope != null) {
            caller.sameAsCaller("shopId", shopId, scope);
            shopId = scope;
        }
        if (status != null && GoodsStatusRules.Status.of(status) == null) {
            throw ApiProblem.invalidField("status", "must be one of draft, online, offline, deleted, risk_control", status);
        }
        CatalogueReads.Listed l = reads.list(categoryId, shopId, status, page, size);
        return new Page<>(l.items().stream().map(ItemView::of).toList(), page, size, l.total());
    }

    @POST
    @Path("items/status")
    @PermissionsAllowed(Permission.Names.GOODS_STATUS)
    public StatusView changeStatus(StatusRequest body) {
        if (body == null || body.itemIds() == null || body.itemIds().isEmpty()) {
            throw ApiProblem.missingField("itemIds");
        }
        if (body.targetStatus() == null) {
            throw ApiProblem.missingField("targetStatus");
        }
        Operator op = operator(body.operatorType());
        ItemResults r = goods.changeStatus(body.itemIds(), GoodsStatusService.command(body.targetStatus(), op.type(), op.id(),
                body.reason(), body.requestId(), false), Boolean.TRUE.equals(body.dryRun()), Shops.scopeOf(caller.actor()));
        return new StatusView(r.getSucceeded(), r.getFailed(), r.getResultsList().stream().map(x -> new ResultView(x.getIndex(),
                x.getItemId(), x.getOk(), x.getErrorCode().isEmpty() ? null : x.getErrorCode(),
                x.getErrorMessage().isEmpty() ? null : x.getErrorMessage(), x.getItemVersion(),
                x.getBeforeJson().isEmpty() ? null : x.getBeforeJson(), x.getAfterJson().isEmpty() ? null : x.getAfterJson())).toList());
    }

    @POST
    @Path("shops/{shopId}/status")
    @PermissionsAllowed(Permission.Names.SHOP_STATUS)
    public Response changeShopStatus(@PathParam("shopId") long shopId, ShopStatusRequest body) {
        if (body == null || body.targetStatus() == null) {
            throw ApiProblem.missingField("targetStatus");
        }
        Operator op = operator(body.operatorType());
        ShopStatusService.Accepted a = shops.accept(shopId, GoodsStatusService.command(body.targetStatus(), op.type(), op.id(),
                body.reason(), body.requestId(), true));
        return Response.accepted(new ShopAccepted(a.requestId(), a.goodsCount(), a.replayed()))
                .location(URI.create("/shop-status-requests/" + a.requestId())).build();
    }

    @GET
    @Path("shop-status-requests/{requestId}")
    @PermissionsAllowed(Permission.Names.SHOP_STATUS)
    public ShopStatusService.Progress shopRequest(@PathParam("requestId") String requestId) {
        return shops.progress(requestId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_REQUEST", "no shop status request " + requestId).with("requestId", requestId));
    }

    /** The goods operator type of the caller's role; a body's operatorType may only repeat it. */
    private Operator operator(String explicit) {
        Set<String> roles = caller.roles();
        String type;
        if (roles.contains(Roles.RISK_CONTROL)) {
            type = "risk_control";
        } else if (roles.contains(Roles.ADMIN) || roles.contains(Roles.OPERATOR)) {
            type = "operator";
        } else if (caller.isMerchant()) {
            type = "merchant";
        } else {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "goods status needs role operator, merchant, risk_control or admin");
        }
        caller.sameAsCaller("operatorType", explicit, type);
        return new Operator(type, caller.userId());
    }
}
