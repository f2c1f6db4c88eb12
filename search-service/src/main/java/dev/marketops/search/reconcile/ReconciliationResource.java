package dev.marketops.search.reconcile;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * On-demand reconciliations and the runs' reports: operations work (search:reconcile, operators
 * and admins). The run records who started it, from the token.
 */
@Path("/reconciliations")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.RECONCILIATION)
public class ReconciliationResource {

    /** An on-demand run's scope; every field optional (none: the whole catalogue). */
    public record StartRequest(Long afterItemId, Long untilItemId, List<Long> categoryIds, Long shopId) {
    }

    public record Started(long runId, String status) {
    }

    @Inject
    DataReconciliationWorker worker;
    @Inject
    ReconciliationRuns runs;
    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartRequest body) {
        StartRequest r = body == null ? new StartRequest(null, null, null, null) : body;
        if (r.afterItemId() != null && r.afterItemId() < 0) {
            throw ApiProblem.invalidField("afterItemId", "must be >= 0", r.afterItemId());
        }
        if (r.untilItemId() != null && r.untilItemId() <= (r.afterItemId() == null ? 0 : r.afterItemId())) {
            throw ApiProblem.invalidField("untilItemId", "must be greater than afterItemId", r.untilItemId());
        }
        if (r.shopId() != null && r.shopId() <= 0) {
            throw ApiProblem.invalidField("shopId", "must be a positive id", r.shopId());
        }
        long runId = worker.startOnDemand(new ReconciliationScope(r.afterItemId(), r.untilItemId(), r.categoryIds(), r.shopId()),
                caller.actor());
        return Response.accepted(new Started(runId, "running")).location(URI.create("/reconciliations/" + runId)).build();
    }

    @GET
    public Page<ReconciliationRuns.Run> list(@QueryParam("page") @DefaultValue("0") int page,
                                             @QueryParam("size") @DefaultValue("20") int size) {
        return runs.list(page, size);
    }

    @GET
    @Path("/{runId}")
    public ReconciliationRuns.Run get(@PathParam("runId") long runId) {
        return runs.get(runId);
    }
}
