package dev.marketops.maintenance.jobrun;

import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The scheduled jobs' runs and what they counted (the statistics): maintenance:statistics. */
@Path("/job-runs")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.STATISTICS_READ)
public class JobRunResource {

    @Inject
    JobRunStore runs;

    @GET
    public List<JobRunStore.JobRun> latest(@QueryParam("jobName") String jobName,
                                           @QueryParam("limit") @DefaultValue("" + JobRunStore.DEFAULT_LIMIT) int limit) {
        return runs.latest(jobName == null || jobName.isBlank() ? null : jobName, limit);
    }
}
