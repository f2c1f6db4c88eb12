package dev.marketops.platform.cron;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs a scheduled job on one replica only, however many run: the job holds a PostgreSQL
 * session advisory lock while it works (a crashed holder's lock dies with its session).
 * Each run is recorded in {@code job_run}. Use from a {@code @Scheduled} method:
 * {@code singleton.runIfLeader("watchdog", () -> watchdog.sweep())}.
 */
@ApplicationScoped
public class ClusterSingleton {

    private static final Logger LOG = Logger.getLogger(ClusterSingleton.class);

    public enum RunResult { RAN, SKIPPED_ANOTHER_NODE_RUNS, FAILED }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "marketops.schema")
    String schema;

    private final String node = java.util.Objects.requireNonNullElse(System.getenv("HOSTNAME"), "local")
            + "/" + ProcessHandle.current().pid();

    public RunResult runIfLeader(String jobName, Runnable job) {
        return runIfLeader(jobName, () -> {
            job.run();
            return null;
        });
    }

    /** The job may return a short summary, stored as the run's detail. */
    public RunResult runIfLeader(String jobName, Supplier<String> job) {
        String key = schema + ":job:" + jobName;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!lock(c, "SELECT pg_try_advisory_lock(hashtext(?))", key)) {
                return RunResult.SKIPPED_ANOTHER_NODE_RUNS;
            }
            long runId = startRun(c, jobName);
            try {
                String detail = job.get();
                finishRun(c, runId, "succeeded", detail);
                return RunResult.RAN;
            } catch (RuntimeException e) {
                LOG.errorf(e, "job %s failed", jobName);
                finishRun(c, runId, "failed", e.toString());
                return RunResult.FAILED;
            } finally {
                lock(c, "SELECT pg_advisory_unlock(hashtext(?))", key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cluster lock for " + jobName + " unavailable", e);
        }
    }

    private static boolean lock(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private long startRun(Connection c, String jobName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_run (job_name, node) VALUES (?, ?) RETURNING id")) {
            ps.setString(1, jobName);
            ps.setString(2, node);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void finishRun(Connection c, long runId, String outcome, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE job_run SET finished_at = now(), outcome = ?, detail = ? WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, detail);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }
}
