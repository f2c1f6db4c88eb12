package dev.marketops.config.promotion;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "promotion")
public class Promotion extends PanacheEntityBase {

    @Id
    @Column(name = "promotion_id")
    public long id;
    @Column(name = "promotion_name")
    public String name;
    public String kind;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "category_ids")
    public Long[] categoryIds;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "item_ids")
    public Long[] itemIds;
    @Column(name = "user_type")
    public String userType;
    @Column(name = "discount_type")
    public String discountType;
    @Column(name = "discount_value")
    public BigDecimal discountValue;
    public int priority;
    @Column(name = "starts_at")
    public OffsetDateTime startsAt;
    @Column(name = "ends_at")
    public OffsetDateTime endsAt;
    public Long quota;
    /** At most this many uses per user; null: no per-user limit. */
    @jakarta.persistence.Column(name = "per_user_quota")
    public Long perUserQuota;
    public String status;
    @Version
    public long version;
    @Column(name = "created_by", updatable = false)
    public Long createdBy;
    @Column(name = "updated_by")
    public Long updatedBy;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
