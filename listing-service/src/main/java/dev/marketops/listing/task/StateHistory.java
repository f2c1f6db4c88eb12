package dev.marketops.listing.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

@Entity
@Table(name = "listing_state_history")
public class StateHistory extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "task_id")
    public long taskId;
    @Column(name = "item_id")
    public Long itemId;
    @Column(name = "from_status")
    public Integer fromStatus;
    @Column(name = "to_status")
    public int toStatus;
    public String action;
    public String reason;
    @Column(name = "operator_id")
    public Long operatorId;
    @Column(name = "operator_type")
    public String operatorType;
    @Column(name = "client_ip")
    public String clientIp;
    @Column(name = "user_agent")
    public String userAgent;
    @Column(name = "changed_at")
    public OffsetDateTime changedAt;

    public static List<StateHistory> ofTask(long taskId) {
        return list("taskId = ?1 order by id", taskId);
    }
}
