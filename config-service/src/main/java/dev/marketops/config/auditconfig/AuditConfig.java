package dev.marketops.config.auditconfig;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of listing_audit_config: the audit strategy for a category x source type x user type. */
@Entity
@Table(name = "listing_audit_config")
public class AuditConfig extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "config_id")
    public Long id;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "source_user_type")
    public String sourceUserType;
    @Column(name = "audit_strategy")
    public String strategy;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "validation_rules")
    public Map<String, Object> validationRules;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "auto_approve_conditions")
    public Map<String, Object> autoApproveConditions;
    @Column(name = "is_active")
    public boolean active;
    @Version
    public long version;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    /** The user who created the row (from the token; null for seeded rows). */
    @Column(name = "created_by", updatable = false)
    public Long createdBy;
    /** The user who changed the row last (from the token; null for seeded rows). */
    @Column(name = "updated_by")
    public Long updatedBy;

    /** The row with the same key, active or not (the unique index covers both). */
    public static Optional<AuditConfig> byKey(long categoryId, String sourceType, String sourceUserType) {
        return sourceUserType == null
                ? find("categoryId = ?1 and sourceType = ?2 and sourceUserType is null", categoryId, sourceType).firstResultOptional()
                : find("categoryId = ?1 and sourceType = ?2 and sourceUserType = ?3", categoryId, sourceType, sourceUserType)
                        .firstResultOptional();
    }

    /** Active rows of one source type for any of the given categories: all the resolver needs, in one query. */
    public static List<AuditConfig> activeFor(Collection<Long> categoryIds, String sourceType) {
        return list("categoryId in ?1 and sourceType = ?2 and active = true", categoryIds, sourceType);
    }

    public static List<AuditConfig> search(Long categoryId, String sourceType, boolean includeInactive) {
        StringBuilder q = new StringBuilder("1 = 1");
        var params = new java.util.HashMap<String, Object>();
        if (categoryId != null) {
            q.append(" and categoryId = :categoryId");
            params.put("categoryId", categoryId);
        }
        if (sourceType != null && !sourceType.isBlank()) {
            q.append(" and sourceType = :sourceType");
            params.put("sourceType", sourceType);
        }
        if (!includeInactive) {
            q.append(" and active = true");
        }
        return list(q + " order by categoryId, sourceType, sourceUserType nulls last", params);
    }

    AuditStrategyResolver.Rule toRule() {
        return new AuditStrategyResolver.Rule(id, categoryId, sourceType, sourceUserType, strategy, validationRules);
    }
}
