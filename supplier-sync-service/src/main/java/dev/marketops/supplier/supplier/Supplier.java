package dev.marketops.supplier.supplier;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

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
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
