package dev.marketops.publish.saga;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Optional;

@Entity
@Table(name = "publish_saga")
public class PublishSaga extends PanacheEntityBase {

    @Id
    @Column(name = "saga_id")
    public long sagaId;
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "item_id")
    public Long itemId;
    public String status;
    @Column(name = "current_step")
    public String currentStep;
    @Column(name = "completed_steps")
    public int completedSteps;
    public int attempts;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "batch_id")
    public Long batchId;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    /** The user (and role) who last retried the saga, from the token; null when nobody did. */
    @Column(name = "retried_by", insertable = false, updatable = false)
    public Long retriedBy;
    @Column(name = "retried_by_type", insertable = false, updatable = false)
    public String retriedByType;
    @Column(name = "retried_at", insertable = false, updatable = false)
    public OffsetDateTime retriedAt;

    public static Optional<PublishSaga> ofTask(long taskId) {
        return find("taskId", taskId).firstResultOptional();
    }
}
