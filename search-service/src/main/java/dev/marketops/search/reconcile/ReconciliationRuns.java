package dev.marketops.search.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Actor;
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
import java.util.Map;

/** The reconciliation_run table: one row per run, updated as pages go by. */
@ApplicationScoped
public class ReconciliationRuns {

    /** {@code startedBy} is the user who started a manual run (null for cron), {@code startedByRole} its role or "system". */
    public record Run(long runId, String trigger, String status, JsonNode scope, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt, long scanned, long repaired, Map<String, Long> counts,
                      Map<String, List<Long>> samples, String error, Long startedBy, String startedByRole) {
    }

    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, List<Long>>> SAMPLES = new TypeReference<>() {
    };
    private static final String COLUMNS = "run_id, trigger, status, scope::text, started_at, finished_at, scanned, repaired, "
            + "drift_counts::text, drift_samples::text, error, started_by, started_by_role";

    @Inject
    AgroalDataSource db;
    @Inject
    SnowflakeIds ids;
    @Inject
    ObjectMapper json;

    /** {@code by} is who starts the run: the authenticated user of a manual run, {@link Actor#SYSTEM} for cron. */
    public long start(String trigger, ReconciliationScope scope, Actor by) {
        long runId = ids.nextId();
        boolean system = by == null || by == Actor.SYSTEM;
        update("INSERT INTO reconciliation_run (run_id, trigger, status, scope, started_by, started_by_role, client_ip, user_agent) "
                        + "VALUES (?, ?, 'running', ?::jsonb, ?, ?, ?, ?)",
                runId, trigger, write(scope), system ? null : by.userId(), system ? Actor.SYSTEM.type() : by.type(),
                system ? null : by.ip(), system ? null : by.userAgent());
        return runId;
    }

    public void progress(long runId, DriftReport r) {
        update("UPDATE reconciliation_run SET scanned = ?, repaired = ?, drift_counts = ?::jsonb, drift_samples = ?::jsonb WHERE run_id = ?",
                r.scanned(), r.repaired(), write(r.counts()), write(r.samples()), runId);
    }

    public void finish(long runId, String status, DriftReport r, String error) {
        if (r != null) {
            progress(runId, r);
        }
        update("UPDATE reconciliation_run SET status = ?, finished_at = now(), error = ? WHERE run_id = ?", status, error, runId);
    }

    /**
     * Called while holding the cluster lock: any other run still "running" belonged to a
     * process that died mid-run (the lock died with its session), so it is marked abandoned.
     */
    public void abandonOthers(long runId) {
        update("UPDATE reconciliation_run SET status = 'abandoned', finished_at = now(), error = 'the instance running it stopped' "
                + "WHERE status = 'running' AND run_id <> ?", runId);
    }

    public Run get(long runId) {
        List<Run> found = query("SELECT " + COLUMNS + " FROM reconciliation_run WHERE run_id = ?", runId);
        if (found.isEmpty()) {
            throw ApiProblem.notFound("RECONCILIATION_NOT_FOUND", "reconciliation run " + runId + " does not exist").with("runId", runId);
        }
        return found.get(0);
    }

    public Page<Run> list(int page, int size) {
        Page.check(page, size);
        List<Run> items = query("SELECT " + COLUMNS + " FROM reconciliation_run ORDER BY started_at DESC, run_id DESC LIMIT ? OFFSET ?",
                size, (long) page * size);
        long total;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM reconciliation_run");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Page<>(items, page, size, total);
    }

    private List<Run> query(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), json.readTree(rs.getString(4)),
                            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class), rs.getLong(7),
                            rs.getLong(8), json.readValue(rs.getString(9), COUNTS), json.readValue(rs.getString(10), SAMPLES),
                            rs.getString(11), (Long) rs.getObject(12), rs.getString(13)));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
