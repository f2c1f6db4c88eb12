package dev.marketops.maintenance.jobrun;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/job-runs")
@Produces(MediaType.APPLICATION_JSON)
public class JobRunResource {

    @Inject
    JobRunStore runs;

    @GET
    public List<JobRunStore.JobRun> latest(@QueryParam("jobName") String jobName,
                                           @QueryParam("limit") @DefaultValue("" + JobRunStore.DEFAULT_LIMIT) int limit) {
        return runs.latest(jobName == null || jobName.isBlank() ? null : jobName, limit);
    }
}
