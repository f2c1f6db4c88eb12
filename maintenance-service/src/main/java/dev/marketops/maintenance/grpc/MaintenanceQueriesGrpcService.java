package dev.marketops.maintenance.grpc;

import dev.marketops.maintenance.jobrun.JobRunStore;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.services.JobRun;
import dev.marketops.proto.services.JobRunList;
import dev.marketops.proto.services.ListJobRunsRequest;
import dev.marketops.proto.services.MaintenanceQueries;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;

@GrpcService
public class MaintenanceQueriesGrpcService implements MaintenanceQueries {

    @Inject
    JobRunStore runs;

    /** limit 0 (unset) means the default; times are epoch milliseconds, 0 while a run is unfinished. */
    @Override
    @Blocking
    public Uni<JobRunList> listJobRuns(ListJobRunsRequest request) {
        return GrpcProblems.call(() -> {
            int limit = request.getLimit() == 0 ? JobRunStore.DEFAULT_LIMIT : request.getLimit();
            JobRunList.Builder out = JobRunList.newBuilder();
            runs.latest(null, limit).forEach(r -> out.addRuns(JobRun.newBuilder().setJobName(r.jobName())
                    .setStartedAt(millis(r.startedAt())).setFinishedAt(millis(r.finishedAt()))
                    .setOutcome(r.outcome() == null ? "" : r.outcome())
                    .setDetail(r.detail() == null ? "" : r.detail())));
            return out.build();
        });
    }

    private static long millis(OffsetDateTime t) {
        return t == null ? 0 : t.toInstant().toEpochMilli();
    }
}
