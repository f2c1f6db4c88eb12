package dev.marketops.audit.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "manual_review")
public class ManualReview extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "review_id")
    public Long reviewId;
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "task_version")
    public long taskVersion;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "source_user_type")
    public String sourceUserType;
    public String title;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "validation_result")
    public Map<String, Object> validationResult;
    public String status;
    @Column(name = "claimed_by")
    public Long claimedBy;
    @Column(name = "claimed_at")
    public OffsetDateTime claimedAt;
    @Column(name = "decided_by")
    public Long decidedBy;
    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;
    @Column(name = "decision_comment")
    public String decisionComment;
    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;
    @Version
    public long version;
}
