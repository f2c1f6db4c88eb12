package dev.marketops.config.attribute;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of category_attribute (main seed 4.5.2). */
@Entity
@Table(name = "category_attribute")
public class CategoryAttribute extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "attribute_id")
    public Long id;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "attribute_code")
    public String code;
    @Column(name = "attribute_name")
    public String name;
    @Column(name = "attribute_type")
    public String type;
    @Column(name = "is_required")
    public boolean required;
    @Column(name = "default_value")
    public String defaultValue;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "enum_values")
    public List<String> enumValues;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "validation_rule")
    public Map<String, Object> validationRule;
    @Column(name = "sort_order")
    public int sortOrder;
    public String description;
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

    public static Optional<CategoryAttribute> byCode(long categoryId, String code) {
        return find("categoryId = ?1 and code = ?2", categoryId, code).firstResultOptional();
    }

    public static Optional<CategoryAttribute> byCodeForUpdate(long categoryId, String code) {
        return find("categoryId = ?1 and code = ?2", categoryId, code).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public static List<CategoryAttribute> ofCategory(long categoryId, boolean includeInactive) {
        return includeInactive ? list("categoryId = ?1 order by sortOrder, code", categoryId)
                : list("categoryId = ?1 and active = true order by sortOrder, code", categoryId);
    }

    /** Active attributes of several categories (a category and its ancestors) in one query. */
    public static List<CategoryAttribute> activeOf(Collection<Long> categoryIds) {
        return list("categoryId in ?1 and active = true", categoryIds);
    }

    public AttributeDefinition toDefinition() {
        return new AttributeDefinition(id, categoryId, code, name, type, required, defaultValue, enumValues,
                validationRule, sortOrder, description);
    }

    /** Copies a checked definition onto the row, storing "none" as NULL as the table's CHECK expects. */
    void apply(AttributeDefinition d) {
        code = d.code();
        name = d.name().trim();
        type = d.type();
        required = d.required();
        defaultValue = d.defaultValue();
        enumValues = d.enumValues() == null || d.enumValues().isEmpty() ? null : List.copyOf(d.enumValues());
        validationRule = d.validationRule() == null || d.validationRule().isEmpty() ? null : d.validationRule();
        sortOrder = d.sortOrder();
        description = d.description();
    }
}
