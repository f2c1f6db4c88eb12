package dev.marketops.batch.batch;

import dev.marketops.batch.Json;
import dev.marketops.batch.WireEnums;
import dev.marketops.batch.intake.BatchIntake;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.report.BatchFiles;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.limits.RateLimited;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Permission;
import dev.marketops.platform.json.RestJson;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Batches over REST. Every method needs BATCH_RUN (operator, merchant, admin) and serves the
 * caller's own batches; BATCH_ALL (admin) sees and cancels everyone's. Who creates a batch comes
 * from the token only, and the batch later runs as that creator.
 */
@Path("/batches")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.BATCH_RUN)
public class OperationBatchResource {

    /** A batch with its progress; the same view serves the history list and the progress page. */
    public record BatchView(long batchId, String batchCode, String operationType, String status, int progress,
                            int totalCount, int successCount, int failedCount, int skippedCount, int processingCount,
                            int pendingCount, int validationFailedCount, Integer etaSeconds, boolean dryRun,
                            String errorPolicy, List<Long> categoryIds, Map<String, Object> operationParams,
                            String fileName, String fileMd5, Long duplicateOf, Long undoOf, boolean cancelRequested,
                            String errorSummary, long createdBy, String createdByType, Long createdByMerchant,
                            OffsetDateTime startedAt, OffsetDateTime finishedAt,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt, long version, String waitingFor,
                            OffsetDateTime waitingSince) {
        static BatchView of(OperationBatch b) {
            return new BatchView(b.batchId, b.batchCode, b.operationType, b.status, b.progress, b.totalCount,
                    b.successCount, b.failedCount, b.skippedCount, b.processingCount, b.pendingCount(),
                    b.validationFailedCount, b.etaSeconds(), b.dryRun, b.errorPolicy,
                    b.categoryIds == null ? List.of() : List.of(b.categoryIds), b.operationParams, b.fileName,
                    b.fileMd5, b.duplicateOf, b.undoOf, b.cancelRequested, b.errorSummary, b.createdBy, b.createdByType,
                    b.createdByMerchant, b.startedAt,
                    b.finishedAt, b.createdAt, b.updatedAt, b.version, b.waitingFor, b.waitingSince);
        }
    }

    public record UploadReply(BatchView batch, int validRows, int invalidRows, List<Map<String, Object>> errors) {
    }

    public record ItemView(int rowNo, String targetType, Long targetId, String status, Object payload, Object before,
                           Object after, String errorCode, String errorField, String errorMessage, int attempts) {
    }

    @Inject
    OperationBatchService batches;
    @Inject
    RestJson restJson;
    @Inject
    BatchIntake intake;
    @Inject
    BatchRunner runner;
    @Inject
    BatchItems items;
    @Inject
    BatchFiles files;
    @Inject
    UndoService undo;
    @Inject
    CallerScope caller;
    @Inject
    BatchRetryService retries;

    /**
     * Uploads a batch: an .xlsx or .csv file (or none, for an operation run on a filter given
     * in params), the operation, its parameters as a JSON object, the error policy and dry-run.
     * Every row is validated before anything is applied; the reply lists the first bad rows.
     * A filter-defined batch above {@code marketops.batch.confirm-above} rows needs {@code confirm=true}
     * (409 CONFIRM_REQUIRED with the row count otherwise).
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RateLimited("upload")
    public Response upload(@RestForm("file") FileUpload file, @RestForm String operationType, @RestForm String params,
                           @RestForm String errorPolicy, @RestForm String dryRun, @RestForm String force,
                           @RestForm String confirm) throws IOException {
        if (operationType == null || operationType.isBlank()) {
            throw ApiProblem.missingField("operationType");
        }
        OperationType type = WireEnums.parse(OperationType.class, "operationType", operationType);
        Map<String, Object> p;
        try {
            p = params == null || params.isBlank() ? Map.of() : Json.map(params);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField("params", "must be a JSON object", params);
        }
        BatchIntake.ErrorPolicy policy = errorPolicy == null || errorPolicy.isBlank() ? BatchIntake.ErrorPolicy.IGNORE_FAILED
                : WireEnums.parse(BatchIntake.ErrorPolicy.class, "errorPolicy", errorPolicy);
        BatchIntake.Created created = intake.upload(new BatchIntake.Upload(type, p, policy, "true".equalsIgnoreCase(dryRun),
                "true".equalsIgnoreCase(force), file == null ? null : file.fileName(),
                file == null ? null : file.uploadedFile(), caller.actor(), null, "true".equalsIgnoreCase(confirm)));
        if ("processing".equals(created.status())) {
            runner.submit(created.batchId());
        }
        OperationBatch b = QuarkusTransaction.requiringNew().call(() -> batches.get(created.batchId()));
        return Response.status(201).entity(new UploadReply(BatchView.of(b), created.validCount(), created.invalidCount(),
                created.errors())).build();
    }

    @GET
    public Page<BatchView> list(@QueryParam("operationType") String operationType,
                                @QueryParam("status") String status,
                                @QueryParam("createdBy") Long createdBy,
                                @QueryParam("createdFrom") String createdFrom,
                                @QueryParam("createdTo") String createdTo,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("20") int size) {
        Long who = createdBy;
        Long merchant = null;
        if (!caller.seesAll()) {
            // Only BATCH_ALL may name another creator; everyone else reads their own history.
            caller.caller().sameAsCaller("createdBy", createdBy, caller.userId());
            who = caller.userId();
            merchant = caller.caller().merchantShop();
        }
        var filter = new OperationBatchService.Filter(
                blank(operationType) ? null : WireEnums.parse(OperationType.class, "operationType", operationType),
                blank(status) ? null : WireEnums.parse(BatchStatus.class, "status", status),
                who, time("createdFrom", createdFrom), time("createdTo", createdTo), merchant);
        Page<OperationBatch> found = batches.list(filter, page, size);
        return new Page<>(found.items().stream().map(BatchView::of).toList(), found.page(), found.size(), found.total());
    }

    @GET
    @Path("/{batchId}")
    public BatchView get(@PathParam("batchId") long batchId) {
        return BatchView.of(visible(batchId));
    }

    /** Live progress: a view at least every second until the batch is finished (the last event is the final state). */
    @GET
    @Path("/{batchId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<String> events(@PathParam("batchId") long batchId) {
        visible(batchId);
        // written here with the REST mapper: Quarkus writes stream elements with the application mapper (ids as numbers)
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(Duration.ofSeconds(1))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(t -> QuarkusTransaction.requiringNew().call(() -> BatchView.of(batches.get(batchId))))
                .plug(OperationBatchResource::untilFinal).map(restJson::write);
    }

    private static Multi<BatchView> untilFinal(Multi<BatchView> views) {
        AtomicBoolean done = new AtomicBoolean();
        return views.select().first(v -> !done.getAndSet(isFinal(v.status())));
    }

    @POST
    @Path("/{batchId}/cancel")
    public BatchView cancel(@PathParam("batchId") long batchId) {
        OperationBatch b = visible(batchId);
        if (b.finished()) {
            throw ApiProblem.conflict("BATCH_FINISHED", "the batch is already " + b.status).with("status", b.status);
        }
        runner.tx(c -> {
            try (var ps = c.prepareStatement("UPDATE operation_batch_task SET cancel_requested = true, updated_at = now() WHERE batch_id = ?")) {
                ps.setLong(1, batchId);
                ps.executeUpdate();
            }
            return null;
        });
        runner.submit(batchId);
        return BatchView.of(QuarkusTransaction.requiringNew().call(() -> batches.get(batchId)));
    }

    public record RetryReply(BatchView batch, int reopenedRows) {
    }

    /**
     * Tries a finished batch's failed rows again as a new attempt of the same batch (same request
     * ids: nothing the owning service already applied is applied twice); rows rejected in audit and
     * rows that failed validation stay as they are. 409 NOTHING_TO_RETRY when no row qualifies.
     */
    @POST
    @Path("/{batchId}/retry-failed")
    @PermissionsAllowed(Permission.Names.BATCH_RETRY)
    public RetryReply retryFailed(@PathParam("batchId") long batchId) {
        return reopen(batchId, BatchRetryService.Kind.RETRY_FAILED);
    }

    /** Resumes a batch whose rows an outage failed once its budget was used up: only those rows run again. */
    @POST
    @Path("/{batchId}/resume")
    @PermissionsAllowed(Permission.Names.BATCH_RETRY)
    public RetryReply resume(@PathParam("batchId") long batchId) {
        return reopen(batchId, BatchRetryService.Kind.RESUME);
    }

    private RetryReply reopen(long batchId, BatchRetryService.Kind kind) {
        visible(batchId);
        int n = retries.reopen(batchId, kind, caller.actor());
        return new RetryReply(BatchView.of(QuarkusTransaction.requiringNew().call(() -> batches.get(batchId))), n);
    }

    public record HistoryView(String action, String actorId, String actorType, Integer rowCount, String detail,
                              OffsetDateTime at) {
    }

    /** What happened to the batch besides its rows: outages waited out or given up on, retries and resumes. */
    @GET
    @Path("/{batchId}/history")
    public List<HistoryView> history(@PathParam("batchId") long batchId) {
        visible(batchId);
        return runner.tx(c -> dev.marketops.batch.worker.BatchHistory.of(c, batchId)).stream()
                .map(e -> new HistoryView(e.action(), e.actorId() == null ? null : String.valueOf(e.actorId()), e.actorType(),
                        e.rowCount(), e.detail(), e.at())).toList();
    }

    /** The undo is a new batch: it draws from the caller's upload bucket like an upload. */
    @POST
    @Path("/{batchId}/undo")
    @RateLimited("upload")
    public Response undo(@PathParam("batchId") long batchId) throws IOException {
        OperationBatch b = visible(batchId);
        BatchIntake.Created created = undo.undo(b, caller.actor());
        if ("processing".equals(created.status())) {
            runner.submit(created.batchId());
        }
        OperationBatch nb = QuarkusTransaction.requiringNew().call(() -> batches.get(created.batchId()));
        return Response.status(201).entity(BatchView.of(nb)).build();
    }

    @GET
    @Path("/{batchId}/items")
    public Page<ItemView> items(@PathParam("batchId") long batchId, @QueryParam("status") String status,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("50") int size) {
        Page.check(page, size);
        OperationBatch b = visible(batchId);
        List<String> statuses = blank(status) ? List.of()
                : List.of(WireEnums.wire(WireEnums.parse(dev.marketops.batch.item.ItemStatus.class, "status", status)));
        List<ItemView> out = new ArrayList<>();
        items.scan(batchId, b.createdAt, statuses, page * size, size, i -> out.add(new ItemView(i.rowNo(), i.targetType(),
                i.targetId(), i.status(), json(i.payloadJson()), json(i.beforeJson()), json(i.afterJson()), i.errorCode(),
                i.errorField(), i.errorMessage(), i.attempts())));
        return new Page<>(out, page, size, items.count(batchId, b.createdAt, statuses));
    }

    @GET
    @Path("/{batchId}/result.xlsx")
    @Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    public Response result(@PathParam("batchId") long batchId) {
        OperationBatch b = visible(batchId);
        StreamingOutput body = out -> files.writeResult(b, out);
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + b.batchCode + "_result.xlsx\"").build();
    }

    @GET
    @Path("/{batchId}/rejected.xlsx")
    @Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    public Response rejectedXlsx(@PathParam("batchId") long batchId) {
        OperationBatch b = visible(batchId);
        StreamingOutput body = out -> files.writeRejected(b, out, false);
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + b.batchCode + "_rejected.xlsx\"").build();
    }

    @GET
    @Path("/{batchId}/rejected.csv")
    @Produces("text/csv")
    public Response rejectedCsv(@PathParam("batchId") long batchId) {
        OperationBatch b = visible(batchId);
        StreamingOutput body = out -> files.writeRejected(b, out, true);
        return Response.ok(body).type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + b.batchCode + "_rejected.csv\"").build();
    }

    private OperationBatch visible(long batchId) {
        var actor = caller.actor();
        boolean all = caller.seesAll();
        return QuarkusTransaction.requiringNew().call(() -> batches.visible(batchId, actor, all));
    }

    static boolean isFinal(String status) {
        return switch (status) {
            case "completed", "partial_success", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    private static Object json(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            return s;
        }
    }

    private static OffsetDateTime time(String field, String v) {
        if (blank(v)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.invalidField(field, "must be an ISO-8601 date-time with offset", v);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
