package dev.marketops.search.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import dev.marketops.search.query.SearchFilter;
import dev.marketops.search.query.SearchService;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Exports of the product list to .xlsx (seed 4.2.2): exactly the filter, the selection (when
 * given, intersected with the filter and with what the caller may see) and the columns asked
 * for, written in the background. Whoever may search may export; a merchant's export holds only
 * its own shop's goods; only the requester reads the job and its file.
 */
@Path("/search/exports")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.CATALOGUE_READ)
public class ProductExportResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** filter: GET /search/items' query parameters as an object; itemIds: a selection (optional); sort: or filter.sort. */
    public record ExportRequest(JsonNode filter, List<String> itemIds, List<String> columns, String sort) {
    }

    private final ProductExportJobs jobs;
    private final SearchService search;
    private final ExportConfig config;
    private final Caller caller;

    public ProductExportResource(ProductExportJobs jobs, SearchService search, ExportConfig config, Caller caller) {
        this.jobs = jobs;
        this.search = search;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(ExportRequest body) {
        if (body == null) {
            throw ApiProblem.missingField("columns");
        }
        Long ownShop = caller.merchantShop();
        List<ProductColumn> columns = ProductColumn.parse(body.columns(), "columns", true);
        SearchFilter filter = SearchFilter.read(body.filter(), body.sort(), ownShop);
        List<Long> selection = selection(body.itemIds());
        long matched = search.count(filter.criteria(ownShop, 0, 20), selection);
        if (matched > config.maxRows()) {
            throw ApiProblem.badRequest("EXPORT_TOO_LARGE", "the filter" + (selection == null ? "" : " and selection") + " match " + matched
                    + " items; at most " + config.maxRows() + " rows may be exported at once: narrow the filter or select fewer items")
                    .with("matched", matched).with("maxRows", config.maxRows());
        }
        ProductExportJobs.ExportJob job = jobs.request(new ProductExport.Spec(filter, ownShop, selection, columns), caller.actor());
        return Response.accepted(job).location(URI.create("/search/exports/" + job.exportId())).build();
    }

    @GET
    public List<ProductExportJobs.ExportJob> mine(@QueryParam("size") @DefaultValue("20") int size) {
        if (size < 1 || size > 200) {
            throw ApiProblem.invalidField("size", "must be 1..200", size);
        }
        return jobs.mine(caller.actor(), size);
    }

    @GET
    @Path("/{exportId}")
    public ProductExportJobs.ExportJob get(@PathParam("exportId") String exportId) {
        long id = id(exportId);
        return jobs.find(id, caller.actor()).orElseThrow(() -> ProductExportJobs.notFound(id));
    }

    /** The finished file, streamed from the database (whichever replica wrote it). */
    @GET
    @Path("/{exportId}/file")
    @Produces({XLSX, MediaType.APPLICATION_JSON})
    public Response file(@PathParam("exportId") String exportId) {
        long id = id(exportId);
        dev.marketops.platform.files.StoredExportFiles.Ready file = jobs.file(id, caller.actor());
        StreamingOutput body = out -> jobs.copy(file, out);
        return Response.ok(body, XLSX).header("Content-Length", file.bytes())
                .header("Content-Disposition", "attachment; filename=\"products_" + id + ".xlsx\"").build();
    }

    private List<Long> selection(List<String> itemIds) {
        if (itemIds == null) {
            return null;
        }
        if (itemIds.isEmpty()) {
            throw ApiProblem.invalidField("itemIds", "an empty selection exports nothing: leave itemIds out to export the whole filter", "[]");
        }
        if (itemIds.size() > config.maxSelection()) {
            throw ApiProblem.invalidField("itemIds", "at most " + config.maxSelection() + " selected items; export by filter instead",
                    itemIds.size()).with("maxSelection", config.maxSelection());
        }
        Set<Long> out = new LinkedHashSet<>();
        for (int k = 0; k < itemIds.size(); k++) {
            String raw = itemIds.get(k);
            try {
                long v = Long.parseLong(raw == null ? "" : raw.trim());
                if (v <= 0) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw ApiProblem.invalidField("itemIds[" + k + "]", "must be a positive item id", raw);
            }
        }
        return new ArrayList<>(out);
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("exportId", "must be an integer", raw);
        }
    }
}
