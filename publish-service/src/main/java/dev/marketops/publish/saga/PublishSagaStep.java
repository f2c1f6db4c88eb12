package dev.marketops.publish.saga;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;

@Entity
@Table(name = "publish_saga_step")
@IdClass(PublishSagaStep.Key.class)
public class PublishSagaStep extends PanacheEntityBase {

    public record Key(long sagaId, int stepNo) implements Serializable {
        public Key() {
            this(0, 0);
        }
    }

    @Id
    @Column(name = "saga_id")
    public long sagaId;
    @Id
    @Column(name = "step_no")
    public int stepNo;
    @Column(name = "step_name")
    public String stepName;
    public String status;
    public int attempts;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    public String error;

    public static List<PublishSagaStep> ofSaga(long sagaId) {
        return list("sagaId = ?1 order by stepNo", sagaId);
    }
}
