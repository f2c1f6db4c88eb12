package dev.marketops.batch.report;

import dev.marketops.batch.WireEnums;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.BatchWorkers;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.platform.files.SafeCells;
import dev.marketops.platform.json.JsonIds;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.ArrayList;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A sheet to fill in per operation type (and category): the operation's columns, then for a
 * category the attributes its rules know (required ones marked *), with drop-down lists for
 * enumerations (kept on a second sheet, as Excel wants list sources on a sheet).
 */
@Path("/templates")
@PermissionsAllowed(Permission.Names.BATCH_RUN)
public class TemplateResource {

    @Inject
    BatchWorkers workers;
    @Inject
    CategoryDirectory categories;

    record Header(String name, boolean required, List<String> choices) {
    }

    @GET
    @Path("/{operationType}")
    @Produces("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    public Response template(@PathParam("operationType") String operationType, @QueryParam("categoryId") Long categoryId) {
        BatchWorker worker = workers.get(WireEnums.parse(OperationType.class, "operationType", operationType));
        List<Header> headers = new ArrayList<>();
        for (Column c : worker.columns()) {
            headers.add(new Header(c.header(), c.required(), c.allowed()));
        }
        if (categoryId != null && worker.openColumns()) {
            for (CategoryAttribute a : categories.schema(categoryId).getAttributesList()) {
                headers.add(new Header(a.getAttributeCode(), a.getRequired(), "enum".equals(a.getAttributeType())
                        ? a.getEnumValuesList() : "bool".equals(a.getAttributeType()) ? List.of("true", "false") : List.of()));
            }
        }
        StreamingOutput body = out -> {
            Workbook wb = new Workbook(out, "marketops", "1.0");
            Worksheet ws = wb.newWorksheet(operationType);
            Worksheet lists = wb.newWorksheet("lists");
            int listCol = 0;
            for (int c = 0; c < headers.size(); c++) {
                Header h = headers.get(c);
                ws.value(0, c, SafeCells.text(h.name()));
                ws.style(0, c).bold().fillColor(h.required() ? "FFE699" : "DDEBF7").set();
                ws.width(c, Math.max(12, h.name().length() + 4));
                if (JsonIds.isIdName(h.name())) {
                    // a Text column keeps typed or pasted ids exact; a General one turns them into doubles
                    ws.style(c).format("@").set();
                }
                if (!h.choices().isEmpty()) {
                    for (int k = 0; k < h.choices().size(); k++) {
                        lists.value(k, listCol, SafeCells.text(h.choices().get(k)));
                    }
                    ws.range(1, c, 10_000, c).validateWithList(lists.range(0, listCol, h.choices().size() - 1, listCol))
                            .showErrorMessage(true).errorTitle(h.name()).error("choose a value from the list");
                    listCol++;
                }
            }
            if (categoryId != null && headers.stream().anyMatch(h -> h.name().equals("category_id"))) {
                ws.value(1, 0, categoryId.toString());
            }
            wb.finish();
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + operationType
                + (categoryId == null ? "" : "_" + categoryId) + "_template.xlsx\"").build();
    }
}
