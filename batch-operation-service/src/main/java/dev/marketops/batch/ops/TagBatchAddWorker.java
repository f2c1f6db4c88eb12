package dev.marketops.batch.ops;

import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.ItemResults;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** tag_batch_add: the row's tags added to its item (AddTags). */
@ApplicationScoped
public class TagBatchAddWorker extends TagBatchWorker {

    @Override
    public OperationType type() {
        return OperationType.TAG_BATCH_ADD;
    }

    @Override
    public String codePrefix() {
        return "TAG";
    }

    @Override
    protected ItemResults command(Chunk chunk, List<String> tags, List<Long> itemIds) {
        return catalog.addTags(AddTagsRequest.newBuilder().addAllTags(tags).setBatchId(chunk.batchId())
                .setOperatorId(chunk.createdBy()).setDryRun(chunk.dryRun()).addAllItemIds(itemIds).build());
    }
}
