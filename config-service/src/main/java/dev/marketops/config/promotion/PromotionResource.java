package dev.marketops.config.promotion;

import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Cross-category promotions: operators create, edit and end them (PROMOTION_WRITE); reading is CONFIG_READ. */
@Path("/promotions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PromotionResource {

    public record PromotionView(String promotionId, String name, String kind, List<String> categoryIds, List<String> itemIds,
                                String userType, String discountType, BigDecimal discountValue, int priority,
                                Instant startsAt, Instant endsAt, Long quota, Long perUserQuota, String status, long version,
                                String updatedBy) {
        static PromotionView of(Promotion p) {
            return new PromotionView(Long.toString(p.id), p.name, p.kind, strings(p.categoryIds), strings(p.itemIds),
                    p.userType, p.discountType, p.discountValue, p.priority, p.startsAt.toInstant(), p.endsAt.toInstant(),
                    p.quota, p.perUserQuota, p.status, p.version, p.updatedBy == null ? null : Long.toString(p.updatedBy));
        }

        private static List<String> strings(Long[] ids) {
            return ids == null ? List.of() : Arrays.stream(ids).map(String::valueOf).toList();
        }
    }

    private final PromotionService promotions;
    private final PromotionBatch batch;
    private final Caller caller;

    public PromotionResource(PromotionService promotions, PromotionBatch batch, Caller caller) {
        this.promotions = promotions;
        this.batch = batch;
        this.caller = caller;
    }

    /**
     * Many activities created, edited and ended at once (at most 1,000 rows), all or nothing; with
     * {@code dryRun: true} every row is checked and nothing kept. A refused request is a 400
     * PROMOTION_BATCH_REFUSED problem listing every row with its status, and the failing ones with
     * code, field and reason.
     */
    @POST
    @Path("/batch")
    @PermissionsAllowed(Permission.Names.PROMOTION_WRITE)
    public PromotionBatch.Result batch(PromotionBatch.Request body) {
        return batch.run(body, caller.userId());
    }

    @GET
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public List<PromotionView> active() {
        return promotions.active().stream().map(PromotionView::of).toList();
    }

    @GET
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.CONFIG_READ)
    public PromotionView get(@PathParam("id") long id) {
        return PromotionView.of(promotions.get(id));
    }

    @POST
    @PermissionsAllowed(Permission.Names.PROMOTION_WRITE)
    public Response create(PromotionService.PromotionInput body) {
        Promotion p = promotions.create(body, caller.userId());
        return Response.created(URI.create("/promotions/" + p.id)).entity(PromotionView.of(p)).build();
    }

    @PUT
    @Path("/{id}")
    @PermissionsAllowed(Permission.Names.PROMOTION_WRITE)
    public PromotionView update(@PathParam("id") long id, PromotionService.PromotionInput body) {
        return PromotionView.of(promotions.update(id, body, caller.userId()));
    }

    @POST
    @Path("/{id}/end")
    @PermissionsAllowed(Permission.Names.PROMOTION_WRITE)
    public PromotionView end(@PathParam("id") long id) {
        return PromotionView.of(promotions.end(id, caller.userId()));
    }
}
