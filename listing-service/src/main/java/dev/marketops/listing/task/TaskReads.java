package dev.marketops.listing.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.proto.listing.ListingTaskReply;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Many tasks read in one statement, for the paths that only read them (GetTasks, a batch's
 * submission check). Plain JDBC rather than entities: a chunk of 1,000 tasks loaded as entities
 * kept a snapshot of every task's item data for dirty checking and parsed and serialised that
 * JSON again for the reply, which made the entity read the largest CPU cost of a batch import
 * in listing-service (JFR, 14% of its samples). The item data goes out as PostgreSQL stored it.
 * Deleted tasks are left out, as they are for every entity read.
 */
@ApplicationScoped
public class TaskReads {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource ds;

    /** A task as a read answers it; {@code itemDataJson} is the stored JSON text. */
    public record Row(long taskId, String taskCode, long categoryId, String title, int status, String sourceType,
                      String sourceUserType, long version, String itemDataJson, long createdAtMillis, long itemId,
                      String subStatus, long batchId, long merchantId) {

        /** The same view of a task loaded as an entity (the single-task commands answer with it). */
        public static Row of(ListingTask t) {
            try {
                return new Row(t.taskId, t.taskCode, t.categoryId, t.title, t.status, t.sourceType, t.sourceUserType,
                        t.version, JSON.writeValueAsString(t.itemData), t.createdAt.toInstant().toEpochMilli(),
                        t.itemId == null ? 0 : t.itemId, t.subStatus, t.batchId == null ? 0 : t.batchId,
                        t.merchantId == null ? 0 : t.merchantId);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        public Map<String, Object> itemData() {
            try {
                return JSON.readValue(itemDataJson, new TypeReference<>() { });
            } catch (java.io.IOException e) {
                throw new IllegalStateException("item data of task " + taskId + " is not JSON", e);
            }
        }

        public ListingTaskReply toReply() {
            return ListingTaskReply.newBuilder().setTaskId(taskId).setTaskCode(taskCode).setCategoryId(categoryId)
                    .setTitle(title).setStatus(status).setStatusName(ListingStatus.ofCode(status).name())
                    .setSourceType(sourceType).setSourceUserType(sourceUserType).setVersion(version)
                    .setItemDataJson(itemDataJson).setCreatedAt(createdAtMillis)
                    .setItemId(itemId).setSubStatus(subStatus == null ? "" : subStatus).setBatchId(batchId)
                    .setMerchantId(merchantId).build();
        }
    }

    /** The tasks of these ids that exist (in {@code shopId} only, when it is not null), by id. */
    public Map<Long, Row> byIds(Collection<Long> taskIds, Long shopId) {
        Map<Long, Row> out = new HashMap<>(taskIds.size() * 2);
        if (taskIds.isEmpty()) {
            return out;
        }
        String sql = """
                SELECT task_id, task_code, category_id, title, status, source_type, source_user_type, version,
                    item_data::text, floor(extract(epoch FROM created_at) * 1000)::bigint, coalesce(item_id, 0), sub_status,
                    coalesce(batch_id, 0), coalesce(merchant_id, 0)
                FROM listing_task WHERE task_id = ANY(?) AND deleted_at IS NULL AND (?::bigint IS NULL OR shop_id = ?)""";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", taskIds.toArray()));
            ps.setObject(2, shopId, java.sql.Types.BIGINT);
            ps.setObject(3, shopId, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getLong(10), rs.getLong(11),
                            rs.getString(12), rs.getLong(13), rs.getLong(14));
                    out.put(r.taskId(), r);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + taskIds.size() + " tasks failed", e);
        }
    }
}
