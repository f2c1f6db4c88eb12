package dev.marketops.supplier.supplier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * A registered supplier system: what it may feed (category ids), how (push / pull / both), the
 * adapter that reads its records, where and how fast it is pulled, and a reference to its
 * credentials (a Keycloak client or a secret's name: never the secret itself).
 */
@Entity
@Table(name = "supplier")
public class Supplier extends PanacheEntityBase {

    @Id
    @Column(name = "supplier_code")
    public String code;
    @Column(name = "supplier_name")
    public String name;
    @Column(name = "category_code")
    public String categoryCode;
    @Column(name = "sync_mode")
    public String syncMode;
    @Column(name = "endpoint_url")
    public String endpointUrl;
    @Column(name = "push_topic")
    public String pushTopic;
    @Column(name = "pull_interval_seconds")
    public Integer pullIntervalSeconds;
    public boolean enabled;
    public String adapter;
    @Column(name = "category_ids")
    public Long[] categoryIds;
    @Column(name = "shop_id")
    public long shopId;
    @Column(name = "page_size")
    public int pageSize;
    @Column(name = "rate_limit_per_second")
    public int rateLimitPerSecond;
    @Column(name = "credential_ref")
    public String credentialRef;
    @Column(name = "user_id")
    public long userId;
    @Version
    public long version;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public List<Long> categories() {
        return categoryIds == null ? List.of() : Arrays.asList(categoryIds);
    }

    public boolean pulls() {
        return "pull".equals(syncMode) || "both".equals(syncMode);
    }
}
