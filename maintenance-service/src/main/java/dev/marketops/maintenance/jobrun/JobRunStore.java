package dev.marketops.maintenance.jobrun;

import dev.marketops.platform.problem.ApiProblem;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads the platform's job_run table (written by ClusterSingleton) of this service's schema. */
@ApplicationScoped
public class JobRunStore {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public record JobRun(long id, String jobName, String node, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                         String outcome, String detail) {
    }

    @Inject
    AgroalDataSource ds;

    /** The latest runs first, optionally of one job. */
    public List<JobRun> latest(String jobName, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.invalidField("limit", "must be 1.." + MAX_LIMIT, limit);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM job_run WHERE (?::text IS NULL OR job_name = ?) ORDER BY started_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, jobName);
            ps.setString(2, jobName);
            ps.setInt(3, limit);
            List<JobRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRun(rs.getLong("id"), rs.getString("job_name"), rs.getString("node"),
                            rs.getObject("started_at", OffsetDateTime.class),
                            rs.getObject("finished_at", OffsetDateTime.class),
                            rs.getString("outcome"), rs.getString("detail")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read job runs", e);
        }
    }
}
