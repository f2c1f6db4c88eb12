package dev.marketops.audit.worker;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "listing_audit_log")
public class AuditLogEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "source_user_type")
    public String sourceUserType;
    @Column(name = "audit_type")
    public String auditType;
    @Column(name = "audit_action")
    public String auditAction;
    @Column(name = "audit_reason")
    public String auditReason;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "rules_applied")
    public List<String> rulesApplied;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "rule_results")
    public Map<String, Object> ruleResults;
    @Column(name = "strategy_config_id")
    public Long strategyConfigId;
    @Column(name = "auditor_id")
    public Long auditorId;
    @Column(name = "auditor_type")
    public String auditorType;
    @Column(name = "duration_ms")
    public Integer durationMs;
    @Column(name = "audit_time")
    public OffsetDateTime auditTime;

    public static List<AuditLogEntry> ofTask(long taskId) {
        return list("taskId = ?1 order by auditTime, id", taskId);
    }
}
