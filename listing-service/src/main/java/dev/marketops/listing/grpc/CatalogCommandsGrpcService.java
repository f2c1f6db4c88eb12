package dev.marketops.listing.grpc;

import dev.marketops.listing.catalogue.CatalogueReads;
import dev.marketops.listing.catalogue.CatalogueSaga;
import dev.marketops.listing.catalogue.GoodsStatusService;
import dev.marketops.listing.catalogue.InventoryAdjustments;
import dev.marketops.listing.catalogue.ItemEdits;
import dev.marketops.listing.catalogue.PriceAdjustments;
import dev.marketops.listing.catalogue.PriceAndStockAdjustments;
import dev.marketops.listing.catalogue.VoucherCodeImport;
import dev.marketops.listing.catalogue.ShopStatusService;
import dev.marketops.listing.catalogue.Results;
import dev.marketops.listing.shop.Shops;
import dev.marketops.listing.task.BatchTransitionService;
import dev.marketops.listing.task.ListingAction;
import dev.marketops.listing.task.TransitionContext;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryReply;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommands;
import dev.marketops.proto.catalog.ChangeShopStatusReply;
import dev.marketops.proto.catalog.ChangeShopStatusRequest;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.CompensateRequest;
import dev.marketops.proto.catalog.CreateItemsRequest;
import dev.marketops.proto.catalog.EditItemsRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshots;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import dev.marketops.proto.catalog.RunStepsReply;
import dev.marketops.proto.catalog.RunStepsRequest;
import dev.marketops.proto.catalog.StreamItemsRequest;
import dev.marketops.proto.catalog.VoucherCodeChunk;
import dev.marketops.proto.catalog.VoucherImportReply;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The catalogue's gRPC face (catalog.proto): thin, every rule lives in the catalogue services. */
@GrpcService
public class CatalogCommandsGrpcService implements CatalogCommands {

    /** RunSteps' last step may be the saga's last: the task's move to ONLINE. */
    static final String COMPLETE_TASK = "complete_task";
    private static final int ONLINE = 20;

    @Inject
    CatalogueSaga saga;
    @Inject
    BatchTransitionService transitions;
    @Inject
    CatalogueReads reads;
    @Inject
    GoodsStatusService goodsStatus;
    @Inject
    ShopStatusService shopStatus;
    @Inject
    PriceAdjustments prices;
    @Inject
    InventoryAdjustments inventory;
    @Inject
    PriceAndStockAdjustments pricesAndStock;
    @Inject
    ItemEdits edits;
    @Inject
    VoucherCodeImport vouchers;
    @Inject
    dev.marketops.listing.catalogue.history.ProductRollback rollback;

    @Override
    @Blocking
    public Uni<ItemResults> createItems(CreateItemsRequest r) {
        return GrpcProblems.call(() -> saga.createItems(r.getTaskIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> createSkus(ItemRefs r) {
        return GrpcProblems.call(() -> saga.createSkus(r.getItemIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> setAttributes(ItemRefs r) {
        return GrpcProblems.call(() -> saga.setAttributes(r.getItemIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> initInventory(ItemRefs r) {
        return GrpcProblems.call(() -> saga.initInventory(r.getItemIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> setPrices(ItemRefs r) {
        return GrpcProblems.call(() -> saga.setPrices(r.getItemIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> markOnline(ItemRefs r) {
        return GrpcProblems.call(() -> saga.markOnline(r.getItemIdsList(), r.getSagaIdsList()));
    }

    @Override
    @Blocking
    public Uni<RunStepsReply> runSteps(RunStepsRequest r) {
        return GrpcProblems.call(() -> {
            List<String> steps = r.getStepsList();
            boolean completes = !steps.isEmpty() && steps.get(steps.size() - 1).equals(COMPLETE_TASK);
            List<String> catalogue = completes ? steps.subList(0, steps.size() - 1) : steps;
            if (catalogue.isEmpty() && !completes) {
                throw ApiProblem.missingField("steps");
            }
            List<ItemResults> out = new ArrayList<>(catalogue.isEmpty() ? List.of()
                    : saga.runSteps(catalogue, r.getTaskIdsList(), r.getItemIdsList(), r.getSagaIdsList()));
            if (completes) {
                out.add(complete(r, out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            return RunStepsReply.newBuilder().addAllSteps(out).build();
        });
    }

    /**
     * complete_task, the saga's last step, as publish-service's TransitionMany(publish) would do it, for
     * the items that passed the steps before it in this call ({@code before}; null: every item of the
     * request, which then names task and item ids). A task already ONLINE answers ok.
     */
    private ItemResults complete(RunStepsRequest r, ItemResults before) {
        List<Integer> at = new ArrayList<>();
        List<Long> taskIds = new ArrayList<>(), itemIds = new ArrayList<>();
        if (before == null) {
            if (r.getTaskIdsCount() == 0 || r.getTaskIdsCount() != r.getItemIdsCount()) {
                throw ApiProblem.invalidField("item_ids", "complete_task alone needs a task id and an item id per saga", r.getItemIdsCount());
            }
            for (int i = 0; i < r.getTaskIdsCount(); i++) {
                at.add(i);
                taskIds.add(r.getTaskIds(i));
                itemIds.add(r.getItemIds(i));
            }
        } else {
            for (ItemResult x : before.getResultsList()) {
                if (x.getOk()) {
                    at.add(x.getIndex());
                    taskIds.add(x.getTaskId());
                    itemIds.add(x.getItemId());
                }
            }
        }
        ItemResult[] results = new ItemResult[at.size()];
        if (!at.isEmpty()) {
            TransitionContext ctx = new TransitionContext(null, null, "system", "publish saga", null, null);
            List<BatchTransitionService.Result> moved = transitions.transition(taskIds, ListingAction.PUBLISH, itemIds, ctx, null);
            for (int k = 0; k < results.length; k++) {
                BatchTransitionService.Result m = moved.get(k);
                boolean ok = m.ok() || m.status() == ONLINE;
                results[k] = ItemResult.newBuilder().setIndex(at.get(k)).setItemId(itemIds.get(k)).setTaskId(taskIds.get(k)).setOk(ok)
                        .setErrorCode(ok ? "" : m.errorCode()).setErrorMessage(ok ? "" : m.errorMessage())
                        .setRetryable(!ok && m.retryable()).build();
            }
        }
        return Results.of(results);
    }

    @Override
    @Blocking
    public Uni<ItemResults> compensate(CompensateRequest r) {
        return GrpcProblems.call(() -> saga.compensate(r.getStep(), r.getItemIdsList(), r.getTaskIdsList()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> changeStatus(ChangeStatusRequest r) {
        return GrpcProblems.call(() -> goodsStatus.changeStatus(r.getItemIdsList(), GoodsStatusService.command(r.getTargetStatus(),
                r.getOperatorType().isEmpty() ? "operator" : r.getOperatorType(), r.getOperatorId(), emptyToNull(r.getReason()),
                r.getRequestId(), false), r.getDryRun(), scope()));
    }

    @Override
    @Blocking
    public Uni<ChangeShopStatusReply> changeShopStatus(ChangeShopStatusRequest r) {
        return GrpcProblems.call(() -> {
            Long scope = scope();
            if (scope != null && scope != r.getShopId()) {
                throw ApiProblem.notFound("UNKNOWN_SHOP", "no shop " + r.getShopId()).with("shopId", r.getShopId());
            }
            ShopStatusService.Accepted a = shopStatus.accept(r.getShopId(), GoodsStatusService.command(r.getTargetStatus(),
                    r.getOperatorType().isEmpty() ? "operator" : r.getOperatorType(), r.getOperatorId(), emptyToNull(r.getReason()),
                    r.getRequestId(), true));
            return ChangeShopStatusReply.newBuilder().setRequestId(a.requestId()).setGoodsCount(a.goodsCount())
                    .setReplayed(a.replayed()).build();
        });
    }

    @Override
    @Blocking
    public Uni<ItemResults> adjustPrices(AdjustPricesRequest r) {
        return GrpcProblems.call(() -> prices.adjust(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> adjustInventory(AdjustInventoryRequest r) {
        return GrpcProblems.call(() -> inventory.adjust(r, scope()));
    }

    @Override
    @Blocking
    public Uni<AdjustPricesAndInventoryReply> adjustPricesAndInventory(AdjustPricesAndInventoryRequest r) {
        return GrpcProblems.call(() -> pricesAndStock.adjust(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> editItems(EditItemsRequest r) {
        return GrpcProblems.call(() -> edits.edit(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> addTags(AddTagsRequest r) {
        return GrpcProblems.call(() -> edits.addTags(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> removeTags(RemoveTagsRequest r) {
        return GrpcProblems.call(() -> edits.removeTags(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemResults> restoreItems(dev.marketops.proto.catalog.RestoreItemsRequest r) {
        return GrpcProblems.call(() -> rollback.restoreItems(r, scope()));
    }

    @Override
    @Blocking
    public Uni<ItemSnapshots> getItems(ItemRefs r) {
        return GrpcProblems.call(() -> reads.get(r.getItemIdsList(), scope()));
    }

    /** Pages on demand (keyset by item id), each read on a worker thread. */
    @Override
    public Multi<ItemSnapshots> streamItems(StreamItemsRequest r) {
        Long scope = scope();
        Long shop = r.getShopId() == 0 ? scope : Long.valueOf(r.getShopId()); // boxed: "? scope : long" would unbox a null scope
        if (scope != null && !scope.equals(shop)) {
            shop = -1L; // another merchant's shop: nothing to see
        }
        CatalogueReads.Filter filter = new CatalogueReads.Filter(r.getCategoryIdsList(), shop,
                r.getStatusesList(), r.getIncludeDeleted());
        AtomicLong cursor = new AtomicLong(r.getAfterItemId());
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> {
                    ItemSnapshots page = reads.page(cursor.get(), r.getPageSize(), filter);
                    if (page.getItemsCount() > 0) {
                        cursor.set(page.getItems(page.getItemsCount() - 1).getItemId());
                    }
                    return page;
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .until(page -> page.getItemsCount() == 0)
                // a stream's failure would otherwise reach the caller as a bare UNKNOWN and leave no trace here
                .onFailure().invoke(e -> org.jboss.logging.Logger.getLogger(CatalogCommandsGrpcService.class)
                        .errorf(e, "StreamItems failed (categories %s, statuses %s)", r.getCategoryIdsList(), r.getStatusesList()))
                .onFailure(e -> !(e instanceof io.grpc.StatusRuntimeException)).transform(e -> io.grpc.Status.INTERNAL
                        .withDescription("reading items failed; it has been logged").asRuntimeException());
    }

    @Override
    public Uni<VoucherImportReply> importVoucherCodes(Multi<VoucherCodeChunk> request) {
        return vouchers.importCodes(request, scope());
    }

    /**
     * The commands come from services on behalf of a user (ActorPropagation): a merchant is
     * confined to its own shop, checked by the catalogue per item in its set-based queries
     * (another shop's item answers NOT_FOUND, like an unknown id).
     */
    private static Long scope() {
        return Shops.scopeOf(ActorPropagation.currentOrSystem());
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

}
