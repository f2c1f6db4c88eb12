package dev.marketops.batch.ops;

import dev.marketops.batch.Json;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.client.CatalogClient;
import dev.marketops.batch.intake.Column;
import dev.marketops.batch.intake.Column.Kind;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.intake.RowValues;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.batch.worker.ChunkResult;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.RejectedCode;
import dev.marketops.proto.catalog.VoucherCode;
import dev.marketops.proto.catalog.VoucherCodeChunk;
import dev.marketops.proto.catalog.VoucherImportReply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * voucher_code_import: up to 1,000,000 codes for one SKU (params.itemId, params.skuId),
 * streamed to the catalogue's code pool over the client-streaming ImportVoucherCodes, one
 * stream per chunk of 20,000 codes in messages of 5,000. Codes repeated in the file are
 * refused at upload (DUPLICATE_IN_FILE); codes already in the pool are reported by the
 * catalogue (DUPLICATE_IN_POOL) and never stored twice.
 */
@ApplicationScoped
public class VoucherCodeImportWorker extends BatchWorker {

    static final int MESSAGE_CODES = 5_000;

    @Inject
    CatalogClient catalog;

    @Override
    public OperationType type() {
        return OperationType.VOUCHER_CODE_IMPORT;
    }

    @Override
    public String codePrefix() {
        return "VOUCHER";
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.required("code", Kind.TEXT), Column.optional("expires_on", Kind.DATE));
    }

    @Override
    public void checkParams(BatchParams p) {
        if (p.longOrNull("itemId") == null) {
            throw ApiProblem.missingField("params.itemId");
        }
    }

    @Override
    public int chunkSize() {
        return 20_000;
    }

    @Override
    public int maxRows() {
        return 1_000_000;
    }

    @Override
    public ParsedRow parse(RowValues row, BatchParams params) {
        String code = row.text("code");
        if (code.length() > 128 || !code.matches("[\\x21-\\x7E]+")) {
            throw row.error("code", "INVALID_FORMAT", "a code is 1-128 printable ASCII characters without spaces");
        }
        Map<String, Object> p = new HashMap<>(2);
        p.put("code", code);
        if (row.has("expires_on")) {
            p.put("expires_on", row.text("expires_on"));
        }
        return new ParsedRow("voucher_code", params.longOrNull("itemId"), p, code);
    }

    @Override
    public ChunkResult apply(Chunk chunk) {
        long itemId = chunk.params().longOrNull("itemId");
        Long sku = chunk.params().longOrNull("skuId");
        List<VoucherCodeChunk> messages = new ArrayList<>();
        VoucherCodeChunk.Builder m = VoucherCodeChunk.newBuilder().setItemId(itemId).setSkuId(sku == null ? 0 : sku)
                .setBatchId(chunk.batchId()).setDryRun(chunk.dryRun());
        for (ClaimedItem i : chunk.items()) {
            VoucherCode.Builder c = VoucherCode.newBuilder().setRow(i.rowNo()).setCode((String) i.payload().get("code"));
            Object exp = i.payload().get("expires_on");
            if (exp != null) {
                c.setExpiresOn(exp.toString());
            }
            m.addCodes(c);
            if (m.getCodesCount() == MESSAGE_CODES) {
                messages.add(m.build());
                m = VoucherCodeChunk.newBuilder();
            }
        }
        if (m.getCodesCount() > 0 || messages.isEmpty()) {
            messages.add(m.build());
        }
        VoucherImportReply reply = catalog.importVoucherCodes(messages);
        List<ItemOutcome> out = new ArrayList<>(chunk.items().size());
        if (!reply.getErrorCode().isEmpty()) {
            for (ClaimedItem i : chunk.items()) {
                out.add(ItemOutcome.failed(i.rowNo(), reply.getErrorCode(), "code", reply.getErrorMessage()));
            }
            return ChunkResult.of(out);
        }
        Map<Integer, RejectedCode> rejected = new HashMap<>();
        for (RejectedCode r : reply.getRejectedList()) {
            rejected.put(r.getRow(), r);
        }
        String ok = Json.write(Map.of("imported", true));
        for (ClaimedItem i : chunk.items()) {
            RejectedCode r = rejected.get(i.rowNo());
            // A code an interrupted earlier attempt of this batch stored is not reported by the
            // catalogue (it knows the batch of every pool code), so a replay succeeds without
            // hiding real duplicates.
            if (r == null) {
                out.add(ItemOutcome.succeeded(i.rowNo(), null, ok));
            } else {
                out.add(ItemOutcome.failed(i.rowNo(), r.getErrorCode(), "code", r.getErrorMessage()));
            }
        }
        return ChunkResult.of(out);
    }
}
