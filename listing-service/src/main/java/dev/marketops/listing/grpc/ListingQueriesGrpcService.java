package dev.marketops.listing.grpc;

import dev.marketops.listing.task.TaskReads;
import dev.marketops.listing.shop.Shops;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingQueries;
import dev.marketops.proto.listing.ListingTaskList;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.Map;

/** Many tasks in one read (batch audit reads a whole chunk's item data with one query). */
@GrpcService
public class ListingQueriesGrpcService implements ListingQueries {

    static final int MAX_TASKS = 2_000;

    @Inject
    TaskReads reads;

    @Override
    @Blocking
    public Uni<ListingTaskList> getTasks(GetTasksRequest r) {
        return GrpcProblems.read(() -> {
            if (r.getTaskIdsCount() > MAX_TASKS) {
                throw ApiProblem.badRequest("TOO_MANY_TASKS", "at most " + MAX_TASKS + " task ids per call");
            }
            // for a service acting for a merchant, another shop's tasks are reported missing, like unknown ids
            Long scope = Shops.scopeOf(ActorPropagation.currentOrSystem());
            Map<Long, TaskReads.Row> byId = reads.byIds(r.getTaskIdsList(), scope);
            ListingTaskList.Builder out = ListingTaskList.newBuilder();
            for (long id : r.getTaskIdsList()) {
                TaskReads.Row t = byId.get(id);
                if (t == null) {
                    out.addMissingTaskIds(id);
                } else {
                    out.addTasks(t.toReply());
                }
            }
            return out.build();
        });
    }
}
