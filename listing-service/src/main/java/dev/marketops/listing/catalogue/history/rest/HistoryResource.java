package dev.marketops.listing.catalogue.history.rest;

import dev.marketops.listing.catalogue.history.HistoryEntry;
import dev.marketops.listing.catalogue.history.HistoryExport;
import dev.marketops.listing.catalogue.history.HistoryExportJobs;
import dev.marketops.listing.catalogue.history.HistoryFilter;
import dev.marketops.listing.catalogue.history.HistoryProtection;
import dev.marketops.listing.catalogue.history.HistoryReads;
import dev.marketops.listing.catalogue.history.ProductRollback;
import dev.marketops.listing.catalogue.history.VersionDiff;
import dev.marketops.listing.shop.Shops;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Product change history (seed 002): list (by product, time range, change type, operator,
 * batch, supplier; newest first; keyset pages), diff of two versions, rollback to a version,
 * export, and the access log. A merchant sees only its own shop's goods (another shop's product
 * is not found); sensitive fields are masked for callers without {@code history:sensitive};
 * every read and export is logged.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HistoryResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public record HistoryPage(List<HistoryEntry> items, String nextCursor, boolean masked) {
    }

    public record DiffView(String productId, long fromVersion, long toVersion, List<VersionDiff.FieldChange> changes, List<String> lines,
                           boolean masked) {
    }

    /** What to export in the background: the same criteria as the history query (ids as strings or numbers). */
    public record ExportRequest(Long productId, String from, String to, String changeType, Long operatorId, Long batchId,
                                String supplierId, Long shopId) {
    }

    public record RollbackRequest(Long toVersion, Long expectedVersion, String reason, Boolean dryRun) {
    }

    private final Caller caller;
    private final HistoryReads reads;
    private final HistoryProtection protection;
    private final ProductRollback rollback;
    private final HistoryExport export;
    private final HistoryExportJobs jobs;

    public HistoryResource(Caller caller, HistoryReads reads, HistoryProtection protection, ProductRollback rollback,
                           HistoryExport export, HistoryExportJobs jobs) {
        this.export = export;
        this.jobs = jobs;
        this.caller = caller;
        this.reads = reads;
        this.protection = protection;
        this.rollback = rollback;
    }

    @GET
    @Path("items/{itemId}/history")
    @PermissionsAllowed(Permission.Names.HISTORY_READ)
    public HistoryPage productHistory(@PathParam("itemId") long itemId, @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("changeType") String changeType, @QueryParam("operatorId") Long operatorId,
                                      @QueryParam("batchId") Long batchId, @QueryParam("supplierId") String supplierId,
                                      @QueryParam("cursor") String cursor, @QueryParam("size") @DefaultValue("20") int size) {
        Long scope = Shops.scopeOf(caller.actor());
        rollback.requireVisible(itemId, scope);
        return page(new HistoryFilter(itemId, HistoryFilter.time("from", from), HistoryFilter.time("to", to),
                HistoryFilter.changeType(changeType), operatorId, batchId, blank(supplierId), null, scope), cursor, size);
    }

    @GET
    @Path("history")
    @PermissionsAllowed(Permission.Names.HISTORY_READ)
    public HistoryPage history(@QueryParam("productId") Long productId, @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("changeType") String changeType, @QueryParam("operatorId") Long operatorId,
                               @QueryParam("batchId") Long batchId, @QueryParam("supplierId") String supplierId,
                               @QueryParam("shopId") Long shopId, @QueryParam("cursor") String cursor,
                               @QueryParam("size") @DefaultValue("20") int size) {
        Long scope = Shops.scopeOf(caller.actor());
        if (scope != null) {
            caller.sameAsCaller("shopId", shopId, scope);
        }
        return page(new HistoryFilter(productId, HistoryFilter.time("from", from), HistoryFilter.time("to", to),
                HistoryFilter.changeType(changeType), operatorId, batchId, blank(supplierId), shopId, scope), cursor, size);
    }

    @GET
    @Path("items/{itemId}/history/diff")
    @PermissionsAllowed(Permission.Names.HISTORY_READ)
    public DiffView diff(@PathParam("itemId") long itemId, @QueryParam("from") long from, @QueryParam("to") long to) {
        if (from < 0 || to <= from) {
            throw ApiProblem.invalidField("to", "must be greater than from (versions)", to).with("from", from);
        }
        Actor who = caller.actor();
        Long scope = Shops.scopeOf(who);
        rollback.requireVisible(itemId, scope);
        List<HistoryEntry> rows = reads.versions(itemId, from, to, scope);
        List<VersionDiff.FieldChange> changes = VersionDiff.between(rows);
        boolean masked = protection.masks(who);
        if (masked) {
            changes = changes.stream().map(c -> protection.sensitive(c.path()) ? new VersionDiff.FieldChange(c.path(), c.kind(),
                    maskNode(c.from()), maskNode(c.to())) : c).toList();
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("productId", Long.toString(itemId));
        filter.put("fromVersion", from);
        filter.put("toVersion", to);
        protection.log("diff", who, filter, rows.size());
        return new DiffView(Long.toString(itemId), from, to, changes, VersionDiff.lines(changes), masked);
    }

    @POST
    @Path("items/{itemId}/history/rollback")
    @PermissionsAllowed(Permission.Names.HISTORY_ROLLBACK)
    public ProductRollback.Outcome rollback(@PathParam("itemId") long itemId, RollbackRequest body) {
        if (body == null || body.toVersion() == null) {
            throw ApiProblem.missingField("toVersion");
        }
        return rollback.toVersion(itemId, body.toVersion(), body.expectedVersion(), body.reason(), Boolean.TRUE.equals(body.dryRun()),
                Shops.scopeOf(caller.actor()));
    }

    @GET
    @Path("history/export.xlsx")
    @Produces(XLSX)
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public Response export(@QueryParam("productId") Long productId, @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("changeType") String changeType, @QueryParam("operatorId") Long operatorId,
                           @QueryParam("batchId") Long batchId, @QueryParam("supplierId") String supplierId,
                           @QueryParam("shopId") Long shopId) {
        Actor who = caller.actor();
        Long scope = Shops.scopeOf(who);
        if (productId != null) {
            rollback.requireVisible(productId, scope);
        }
        HistoryFilter f = new HistoryFilter(productId, HistoryFilter.time("from", from), HistoryFilter.time("to", to),
                HistoryFilter.changeType(changeType), operatorId, batchId, blank(supplierId), shopId, scope);
        StreamingOutput body = out -> export.write(f, who, out);
        return Response.ok(body, XLSX).header("Content-Disposition", "attachment; filename=\"product_history"
                + (productId == null ? "" : "_" + productId) + ".xlsx\"").build();
    }

    /** Starts a background export of the matching history; answers 202 with the job to poll. */
    @POST
    @Path("history/exports")
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public Response requestExport(ExportRequest body) {
        ExportRequest b = body == null ? new ExportRequest(null, null, null, null, null, null, null, null) : body;
        Actor who = caller.actor();
        Long scope = Shops.scopeOf(who);
        if (scope != null) {
            caller.sameAsCaller("shopId", b.shopId(), scope);
        }
        if (b.productId() != null) {
            rollback.requireVisible(b.productId(), scope);
        }
        HistoryFilter f = new HistoryFilter(b.productId(), HistoryFilter.time("from", b.from()), HistoryFilter.time("to", b.to()),
                HistoryFilter.changeType(b.changeType()), b.operatorId(), b.batchId(), blank(b.supplierId()), b.shopId(), scope);
        HistoryExportJobs.Job job = jobs.request(f, who);
        return Response.accepted(job).header("Location", "history/exports/" + job.jobId()).build();
    }

    @GET
    @Path("history/exports")
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public List<HistoryExportJobs.Job> myExports(@QueryParam("size") @DefaultValue("20") int size) {
        if (size < 1 || size > HistoryReads.MAX_PAGE) {
            throw ApiProblem.invalidField("size", "must be 1.." + HistoryReads.MAX_PAGE, size);
        }
        return jobs.mine(caller.actor(), size);
    }

    @GET
    @Path("history/exports/{jobId}")
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public HistoryExportJobs.Job exportJob(@PathParam("jobId") long jobId) {
        return jobs.find(jobId, caller.actor()).orElseThrow(() -> HistoryExportJobs.notFound(jobId));
    }

    @GET
    @Path("history/exports/{jobId}/file")
    @Produces(XLSX)
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public Response exportFile(@PathParam("jobId") long jobId) {
        dev.marketops.platform.files.StoredExportFiles.Ready file = jobs.file(jobId, caller.actor());
        StreamingOutput body = out -> jobs.copy(file, out);
        return Response.ok(body, XLSX).header("Content-Length", file.bytes())
                .header("Content-Disposition", "attachment; filename=\"product_history_" + jobId + ".xlsx\"").build();
    }

    @GET
    @Path("history/access-log")
    @PermissionsAllowed(Permission.Names.HISTORY_EXPORT)
    public List<HistoryProtection.Access> accessLog(@QueryParam("userId") Long userId, @QueryParam("before") Long before,
                                                    @QueryParam("size") @DefaultValue("50") int size) {
        if (size < 1 || size > HistoryReads.MAX_PAGE) {
            throw ApiProblem.invalidField("size", "must be 1.." + HistoryReads.MAX_PAGE, size);
        }
        return protection.accesses(userId, before, size);
    }

    private HistoryPage page(HistoryFilter f, String cursor, int size) {
        Actor who = caller.actor();
        HistoryReads.Page p = reads.page(f, cursor, size);
        Map<String, Object> filter = f.describe();
        if (cursor != null) {
            filter.put("cursor", cursor);
        }
        protection.log("read", who, filter, p.items().size());
        return new HistoryPage(p.items().stream().map(e -> protection.forCaller(e, who)).toList(), p.nextCursor(), protection.masks(who));
    }

    private static com.fasterxml.jackson.databind.JsonNode maskNode(com.fasterxml.jackson.databind.JsonNode v) {
        return v == null || v.isNull() ? v : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(HistoryProtection.MASK);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
