package dev.marketops.config.tag;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

@Entity
@Table(name = "tag")
public class Tag extends PanacheEntityBase {

    public static final Set<String> TYPES = Set.of("recommend", "hot", "new", "discount", "seasonal");

    @Id
    @Column(name = "tag_id")
    public long id;
    @Column(name = "tag_code")
    public String code;
    @Column(name = "tag_name")
    public String name;
    @Column(name = "tag_type")
    public String type;
    @Column(name = "icon_url")
    public String iconUrl;
    public int priority;
    @Column(name = "is_active")
    public boolean active;
    @Version
    public long version;
    @Column(name = "created_by", updatable = false)
    public Long createdBy;
    @Column(name = "updated_by")
    public Long updatedBy;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** Highest priority first, then by code. */
    public static List<Tag> listRanked(boolean includeInactive) {
        return includeInactive ? list("order by priority desc, code") : list("active = true order by priority desc, code");
    }
}
