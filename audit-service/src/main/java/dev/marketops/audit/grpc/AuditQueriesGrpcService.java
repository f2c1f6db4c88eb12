package dev.marketops.audit.grpc;

import dev.marketops.audit.history.ListingEventRecord;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.services.AuditQueries;
import dev.marketops.proto.services.AuditRecord;
import dev.marketops.proto.services.AuditRecordList;
import dev.marketops.proto.services.TaskRef;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.Objects;

@GrpcService
public class AuditQueriesGrpcService implements AuditQueries {

    @Override
    @Blocking
    public Uni<AuditRecordList> listAuditRecords(TaskRef request) {
        return GrpcProblems.call(() -> {
            AuditRecordList.Builder out = AuditRecordList.newBuilder();
            for (ListingEventRecord r : ListingEventRecord.ofTask(request.getTaskId())) {
                out.addRecords(AuditRecord.newBuilder().setTaskId(r.taskId).setEventId(r.eventId)
                        .setEventType(r.eventType).setCategoryId(r.categoryId)
                        .setCategoryName(Objects.requireNonNullElse(r.categoryName, ""))
                        .setToStatus(r.toStatus).setRecordedAt(r.recordedAt.toInstant().toEpochMilli()));
            }
            return out.build();
        });
    }
}
