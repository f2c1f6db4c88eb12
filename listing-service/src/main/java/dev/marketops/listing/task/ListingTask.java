package dev.marketops.listing.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.SQLRestriction;
import org.hibernate.type.SqlTypes;

/**
 * A listing task. Soft-deleted tasks (deleted_at set, DataCleanupWorker purges them after their
 * retention) are invisible to every entity read and query of this class: unknown to reads, absent
 * from lists, no longer transitioned.
 */
@Entity
@Table(name = "listing_task")
@SQLRestriction("deleted_at IS NULL")
public class ListingTask extends PanacheEntityBase {

    @Id
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "task_code")
    public String taskCode;
    @Column(name = "task_type")
    public String taskType;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "item_id")
    public Long itemId;
    @Column(name = "batch_id")
    public Long batchId;
    public String title;
    public int status;
    @Column(name = "sub_status")
    public String subStatus;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "source_user_id")
    public Long sourceUserId;
    @Column(name = "source_user_type")
    public String sourceUserType;
    @Column(name = "merchant_id")
    public Long merchantId;
    /** The shop the listing is for (a fact set at creation, see ListingOrigins); the catalogue item takes it. */
    @Column(name = "shop_id")
    public Long shopId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "item_data")
    public Map<String, Object> itemData;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "validation_result")
    public Map<String, Object> validationResult;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "audit_type")
    public String auditType;
    @Column(name = "auditor_id")
    public Long auditorId;
    @Column(name = "audit_time")
    public OffsetDateTime auditTime;
    @Column(name = "audit_comment")
    public String auditComment;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;
    @Version
    public long version;
    @Column(name = "created_by")
    public long createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    public ListingStatus state() {
        return ListingStatus.ofCode(status);
    }

    /** Deleted tasks included: an idempotency key stays taken by the task it created. */
    @SuppressWarnings("unchecked")
    public static Optional<ListingTask> byIdempotencyKey(String key) {
        return getEntityManager().createNativeQuery("SELECT * FROM listing_task WHERE idempotency_key = ?1", ListingTask.class)
                .setParameter(1, key).getResultStream().findFirst();
    }
}
