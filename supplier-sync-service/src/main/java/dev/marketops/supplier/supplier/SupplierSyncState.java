package dev.marketops.supplier.supplier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "supplier_sync_state")
public class SupplierSyncState extends PanacheEntityBase {

    @Id
    @Column(name = "supplier_code")
    public String supplierCode;
    public String watermark;
    @Column(name = "last_success_at")
    public OffsetDateTime lastSuccessAt;
    @Column(name = "last_attempt_at")
    public OffsetDateTime lastAttemptAt;
    @Column(name = "sync_count")
    public long syncCount;
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "page_cursor")
    public String pageCursor;
    @Column(name = "pull_watermark")
    public String pullWatermark;
    @Column(name = "next_pull_at")
    public OffsetDateTime nextPullAt;
    @Column(name = "pull_requested_at")
    public OffsetDateTime pullRequestedAt;
    @Column(name = "received_count")
    public long receivedCount;
    @Column(name = "applied_count")
    public long appliedCount;
    @Column(name = "ignored_count")
    public long ignoredCount;
    @Column(name = "failed_count")
    public long failedCount;
    @Column(name = "last_record_at")
    public OffsetDateTime lastRecordAt;
    @Column(name = "last_lag_seconds")
    public Double lastLagSeconds;
}
