package dev.marketops.audit.history;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

@Entity
@Table(name = "listing_event_record")
public class ListingEventRecord extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "task_code")
    public String taskCode;
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "category_id")
    public long categoryId;
    @Column(name = "category_name")
    public String categoryName;
    @Column(name = "source_type")
    public String sourceType;
    @Column(name = "from_status")
    public Integer fromStatus;
    @Column(name = "to_status")
    public int toStatus;
    public String action;
    @Column(name = "event_time")
    public OffsetDateTime eventTime;
    @Column(name = "recorded_at", insertable = false, updatable = false)
    public OffsetDateTime recordedAt;

    public static List<ListingEventRecord> ofTask(long taskId) {
        return list("taskId = ?1 order by eventTime, recordedAt", taskId);
    }
}
