package dev.marketops.batch.ops;

import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.worker.Chunk;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** tag_batch_remove: the row's tags taken off its item (RemoveTags); an item without them is left as it is. */
@ApplicationScoped
public class TagBatchRemoveWorker extends TagBatchWorker {

    @Override
    public OperationType type() {
        return OperationType.TAG_BATCH_REMOVE;
    }

    @Override
    public String codePrefix() {
        return "UNTAG";
    }

    @Override
    protected ItemResults command(Chunk chunk, List<String> tags, List<Long> itemIds) {
        return catalog.removeTags(RemoveTagsRequest.newBuilder().addAllTags(tags).setBatchId(chunk.batchId())
                .setOperatorId(chunk.createdBy()).setDryRun(chunk.dryRun()).addAllItemIds(itemIds).build());
    }
}
