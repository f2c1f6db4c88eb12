package dev.marketops.batch.batch;

import dev.marketops.batch.Json;
import dev.marketops.batch.WireEnums;
import dev.marketops.batch.intake.BatchIntake;
import dev.marketops.batch.intake.ParsedRow;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.BatchWorkers;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Undo as a new batch ("revert creates a new version"): every succeeded item of a finished
 * price / stock / edit / status batch is put back to its recorded before-value, each change
 * carrying the recorded after-value as the expected current value, so an item changed since
 * is reported as CONFLICT and left alone.
 */
@ApplicationScoped
public class UndoService {

    @Inject
    BatchWorkers workers;
    @Inject
    BatchItems items;
    @Inject
    BatchIntake intake;

    /** The undo is a new batch of {@code actor} (who asked for it), run with that actor's rights. */
    public BatchIntake.Created undo(OperationBatch b, Actor actor) throws IOException {
        BatchWorker worker = workers.get(b.operationType);
        if (!worker.undoable()) {
            throw ApiProblem.conflict("NOT_UNDOABLE", b.operationType + " batches cannot be undone");
        }
        if (b.dryRun) {
            throw ApiProblem.conflict("NOT_UNDOABLE", "a dry run changed nothing");
        }
        if (!"completed".equals(b.status) && !"partial_success".equals(b.status)) {
            throw ApiProblem.conflict("BATCH_NOT_FINISHED", "only a completed or partially successful batch can be undone, this one is "
                    + b.status).with("status", b.status);
        }
        List<ParsedRow> rows = new ArrayList<>();
        items.scan(b.batchId, b.createdAt, List.of("succeeded"), 0, -1, i -> {
            if (i.beforeJson() == null || i.afterJson() == null) {
                return;
            }
            Map<String, Object> p = new LinkedHashMap<>(worker.undoPayload(Json.map(i.payloadJson()), i.beforeJson(), i.afterJson()));
            p.put("row", i.rowNo());
            rows.add(new ParsedRow(i.targetType(), i.targetId(), p, null));
        });
        if (rows.isEmpty()) {
            throw ApiProblem.conflict("NOTHING_TO_UNDO", "the batch has no applied item with recorded values");
        }
        Map<String, Object> params = new LinkedHashMap<>(b.operationParams == null ? Map.of() : b.operationParams);
        params.put("confirm", true);
        params.put("reason", "undo of " + b.batchCode);
        return intake.createFromRows(new BatchIntake.Upload(WireEnums.parse(OperationType.class, "operationType", b.operationType),
                params, BatchIntake.ErrorPolicy.IGNORE_FAILED, false, true, null, null, actor, b.batchId, true), rows);
    }
}
