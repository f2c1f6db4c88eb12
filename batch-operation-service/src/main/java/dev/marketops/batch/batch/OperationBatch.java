package dev.marketops.batch.batch;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "operation_batch_task")
public class OperationBatch extends PanacheEntityBase {

    @Id
    @Column(name = "batch_id")
    public long batchId;
    @Column(name = "batch_code")
    public String batchCode;
    @Column(name = "operation_type")
    public String operationType;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "operation_params")
    public Map<String, Object> operationParams;
    @Column(name = "category_ids")
    public Long[] categoryIds;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "file_path")
    public String filePath;
    @Column(name = "file_size")
    public Long fileSize;
    @Column(name = "file_md5")
    public String fileMd5;
    @Column(name = "total_count")
    public int totalCount;
    @Column(name = "success_count")
    public int successCount;
    @Column(name = "failed_count")
    public int failedCount;
    @Column(name = "processing_count")
    public int processingCount;
    @Column(name = "skipped_count")
    public int skippedCount;
    public String status;
    public int progress;
    @Column(name = "error_policy")
    public String errorPolicy;
    @Column(name = "result_file")
    public String resultFile;
    @Column(name = "error_summary")
    public String errorSummary;
    @Column(name = "estimated_duration")
    public Integer estimatedDurationSeconds;
    @Column(name = "created_by")
    public long createdBy;
    /** The creator's role: the chunks run as this user in this role (ActorPropagation). */
    @Column(name = "created_by_type")
    public String createdByType;
    /** The creator's shop when a merchant created the batch; the catalogue confines its chunks to it. */
    @Column(name = "created_by_merchant")
    public Long createdByMerchant;
    @Column(name = "created_ip")
    public String createdIp;
    @Column(name = "created_user_agent")
    public String createdUserAgent;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Version
    public long version;
    @Column(name = "dry_run")
    public boolean dryRun;
    @Column(name = "file_format")
    public String fileFormat;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "header_row")
    public java.util.List<String> headerRow;
    @Column(name = "validation_failed_count")
    public int validationFailedCount;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "undo_of")
    public Long undoOf;
    @Column(name = "duplicate_of")
    public Long duplicateOf;
    @Column(name = "applied_count")
    public int appliedCount;
    /** While the owning service is out: what the batch waits for (null when it waits for nothing). */
    @Column(name = "waiting_for", insertable = false, updatable = false)
    public String waitingFor;
    @Column(name = "waiting_since", insertable = false, updatable = false)
    public OffsetDateTime waitingSince;

    public boolean finished() {
        return switch (status) {
            case "completed", "partial_success", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    /** Seconds left at the throughput so far (items finished by workers since the start); null before any. */
    public Integer etaSeconds() {
        if (finished()) {
            return 0;
        }
        if (startedAt == null || appliedCount <= 0) {
            return null;
        }
        double elapsed = Math.max(0.001, java.time.Duration.between(startedAt, OffsetDateTime.now()).toMillis() / 1000.0);
        int left = Math.max(0, totalCount - successCount - failedCount - skippedCount);
        return (int) Math.ceil(left / (appliedCount / elapsed));
    }

    /** Rows not yet in a final or running state; never negative even while counters catch up. */
    public int pendingCount() {
        return Math.max(0, totalCount - successCount - failedCount - skippedCount - processingCount);
    }
}
