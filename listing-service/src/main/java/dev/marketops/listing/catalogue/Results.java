package dev.marketops.listing.catalogue;

import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;

/** Builds the per-item answers of catalogue commands (request order, counts). */
public final class Results {

    private Results() {
    }

    public static ItemResult ok(int index, long itemId, long taskId, long version) {
        return ItemResult.newBuilder().setIndex(index).setItemId(itemId).setTaskId(taskId).setOk(true).setItemVersion(version).build();
    }

    public static ItemResult error(int index, long itemId, long taskId, String code, String field, String message, boolean retryable) {
        return ItemResult.newBuilder().setIndex(index).setItemId(itemId).setTaskId(taskId).setOk(false).setErrorCode(code)
                .setErrorField(field == null ? "" : field).setErrorMessage(message == null ? "" : message)
                .setRetryable(retryable).build();
    }

    public static ItemResults of(ItemResult[] results) {
        ItemResults.Builder b = ItemResults.newBuilder();
        int ok = 0;
        for (ItemResult r : results) {
            b.addResults(r);
            if (r.getOk()) {
                ok++;
            }
        }
        return b.setSucceeded(ok).setFailed(results.length - ok).build();
    }
}
