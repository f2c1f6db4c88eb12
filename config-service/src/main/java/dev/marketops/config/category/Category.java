package dev.marketops.config.category;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "category")
public class Category extends PanacheEntityBase {

    @Id
    @Column(name = "category_id")
    public long id;
    @Column(name = "category_code")
    public String code;
    @Column(name = "category_name")
    public String name;
    @Column(name = "parent_id")
    public long parentId;
    public int level;
    @Column(name = "sort_order")
    public int sortOrder;
    @Column(name = "inventory_model")
    public String inventoryModel;
    @Column(name = "price_model")
    public String priceModel;
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

    public static List<Category> listOrdered(boolean includeInactive) {
        return includeInactive ? list("order by level, sortOrder, id")
                : list("active = true order by level, sortOrder, id");
    }

    /** The category then its ancestors, nearest first; empty when the id is unknown. The tree is at most 3 deep. */
    public static List<Category> lineage(long categoryId) {
        List<Category> out = new ArrayList<>(CategoryModels.MAX_LEVEL);
        Category c = findById(categoryId);
        while (c != null && out.size() <= CategoryModels.MAX_LEVEL) {
            out.add(c);
            c = c.parentId == 0 ? null : findById(c.parentId);
        }
        return out;
    }

    public static boolean codeTaken(String code) {
        return count("code", code) > 0;
    }
}
