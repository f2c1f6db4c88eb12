package dev.marketops.listing.catalogue.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.files.StoredExportFiles;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Roles;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Product history exported as a background job, for sets too large to wait for in one request:
 * the request is stored with the filter and the requester (so the file is masked and scoped
 * exactly as the requester's own reads would be), a replica claims it, streams the rows into a
 * temporary file and records progress, then stores the file in history_export_file as it marks
 * the job DONE, so the download works from any replica; the requester polls the job and downloads
 * the file. A job whose replica died (no heartbeat) is claimed again and written from the start.
 * Finished jobs and their files are purged after the retention.
 */
@ApplicationScoped
public class HistoryExportJobs {

    private static final Logger LOG = Logger.getLogger(HistoryExportJobs.class);
    private static final String COLUMNS = "id, requested_by, filter::text, status, rows_written, attempts, file_key, file_bytes, error, "
            + "created_at, started_at, finished_at";
    static final int MAX_ATTEMPTS = 3;

    public record Job(String jobId, String status, long rowsWritten, int attempts, Long fileBytes, String error,
                      Instant createdAt, Instant startedAt, Instant finishedAt, JsonNode filter, String fileUrl) {
    }

    private final AgroalDataSource ds;
    private final SnowflakeIds ids;
    private final HistoryExport export;
    private final ObjectMapper json;
    private final ClusterSingleton singleton;
    private final Duration stale;
    private final Duration retention;
    private final StoredExportFiles files;

    public HistoryExportJobs(AgroalDataSource ds, SnowflakeIds ids, HistoryExport export, ObjectMapper json, ClusterSingleton singleton,
                             @ConfigProperty(name = "marketops.history-export.stale-after", defaultValue = "PT2M") Duration stale,
                             @ConfigProperty(name = "marketops.history-export.retention", defaultValue = "P7D") Duration retention) {
        this.ds = ds;
        this.ids = ids;
        this.export = export;
        this.json = json;
        this.singleton = singleton;
        this.stale = stale;
        this.retention = retention;
        this.files = new StoredExportFiles(ds, "history_export_job", "id", "history_export_file", "job_id", HistoryExportJobs::notFound);
    }

    /** Stores the request; a replica's poller picks it up within seconds. */
    public Job request(HistoryFilter f, Actor who) {
        long id = ids.nextId();
        sql("INSERT INTO history_export_job (id, requested_by, requester, filter) VALUES (?, ?, ?::jsonb, ?::jsonb)", ps -> {
            ps.setLong(1, id);
            ps.setLong(2, who.userId());
            ps.setString(3, actorJson(who).toString());
            ps.setString(4, filterJson(f).toString());
            ps.executeUpdate();
            return null;
        });
        return find(id, who).orElseThrow();
    }

    /** The job if {@code who} asked for it (admins see every job); another user's job is not found. */
    public Optional<Job> find(long id, Actor who) {
        return sql("SELECT " + COLUMNS + " FROM history_export_job WHERE id = ?" + (who.roles().contains(Roles.ADMIN) ? "" : " AND requested_by = ?"),
                ps -> {
                    ps.setLong(1, id);
                    if (!who.roles().contains(Roles.ADMIN)) {
                        ps.setLong(2, who.userId());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(job(rs)) : Optional.<Job>empty();
                    }
                });
    }

    /** The caller's own jobs, newest first. */
    public List<Job> mine(Actor who, int size) {
        return sql("SELECT " + COLUMNS + " FROM history_export_job WHERE requested_by = ? ORDER BY created_at DESC, id DESC LIMIT ?", ps -> {
            ps.setLong(1, who.userId());
            ps.setInt(2, size);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(job(rs));
                }
            }
            return out;
        });
    }

    /**
     * The finished file of the caller's job (admins: any job's); 404 when there is no such job (or
     * it was purged, or finished before files were kept in the database), 409 while it is not done.
     */
    public StoredExportFiles.Ready file(long id, Actor who) {
        return files.ready(id, who.roles().contains(Roles.ADMIN) ? null : who.userId());
    }

    /** Streams the stored file to {@code out}; 404 if it was purged since {@link #file} found it. */
    public void copy(StoredExportFiles.Ready file, OutputStream out) throws IOException {
        files.copy(file.id(), out);
    }

    public static ApiProblem notFound(long id) {
        return ApiProblem.notFound("EXPORT_NOT_FOUND", "no history export " + id + " of yours");
    }

    @Scheduled(every = "${marketops.history-export.poll:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ExportsSwitchedOff.class)
    void runPending() {
        for (int i = 0; i < 10; i++) { // a few per tick, so a queue of small exports drains quickly
            if (!runOne()) {
                return;
            }
        }
    }

    /** Claims the oldest open job (or one whose runner went silent) and writes it; false when there is none. */
    boolean runOne() {
        Claimed c = claim();
        if (c == null) {
            return false;
        }
        Path tmp = null;
        try {
            // on disk first, so memory stays bounded however large the workbook is
            tmp = Files.createTempFile("history-export-" + c.id + "-", ".xlsx");
            long rows;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                long[] lastBeat = {System.currentTimeMillis()};
                rows = export.write(c.filter, c.requester, out, written -> {
                    if (System.currentTimeMillis() - lastBeat[0] > 1000) {
                        lastBeat[0] = System.currentTimeMillis();
                        beat(c.id, written);
                    }
                });
            }
            long bytes = files.finish(c.id, rows, tmp);
            LOG.infof("history export %d done: %d rows, %d bytes", c.id, rows, bytes);
        } catch (Exception e) {
            LOG.warnf(e, "history export %d failed (attempt %d)", c.id, c.attempts);
            boolean last = c.attempts >= MAX_ATTEMPTS;
            sql("UPDATE history_export_job SET status = ?, error = ?, finished_at = CASE WHEN ? THEN now() END WHERE id = ?", ps -> {
                ps.setString(1, last ? "FAILED" : "PENDING");
                ps.setString(2, String.valueOf(e.getMessage()));
                ps.setBoolean(3, last);
                ps.setLong(4, c.id);
                return ps.executeUpdate();
            });
        } finally {
            StoredExportFiles.deleteTemp(tmp);
        }
        return true;
    }

    @Scheduled(every = "${marketops.history-export.purge-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeTick() {
        singleton.runIfLeader("history-export-purge", () -> purgeExpired() + " history exports purged");
    }

    /** Deletes the finished jobs (and so their files) older than the retention; answers how many. */
    int purgeExpired() {
        return files.purge(retention);
    }

    private record Claimed(long id, int attempts, HistoryFilter filter, Actor requester) {
    }

    private Claimed claim() {
        return sql("""
                UPDATE history_export_job j SET status = 'RUNNING', attempts = attempts + 1, started_at = now(), heartbeat_at = now(),
                       rows_written = 0
                WHERE id = (SELECT id FROM history_export_job
                            WHERE status = 'PENDING' OR (status = 'RUNNING' AND heartbeat_at < now() - ?::interval)
                            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, attempts, filter::text, requester::text""", ps -> {
            ps.setString(1, stale.toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Claimed(rs.getLong(1), rs.getInt(2), filter(json.readTree(rs.getString(3))), actor(json.readTree(rs.getString(4))));
            } catch (IOException e) {
                throw new IllegalStateException("unreadable export job", e);
            }
        });
    }

    private void beat(long id, long rows) {
        sql("UPDATE history_export_job SET heartbeat_at = now(), rows_written = ? WHERE id = ?", ps -> {
            ps.setLong(1, rows);
            ps.setLong(2, id);
            return ps.executeUpdate();
        });
    }

    private Job job(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        JsonNode filter;
        try {
            filter = json.readTree(rs.getString(3));
        } catch (IOException e) {
            throw new SQLException(e);
        }
        String status = rs.getString(4);
        long bytes = rs.getLong(8);
        return new Job(Long.toString(id), status, rs.getLong(5), rs.getInt(6), rs.wasNull() ? null : bytes, rs.getString(9),
                instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), filter,
                "DONE".equals(status) ? "history/exports/" + id + "/file" : null);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    ObjectNode filterJson(HistoryFilter f) {
        ObjectNode n = json.createObjectNode();
        f.describe().forEach((k, v) -> n.put(k, String.valueOf(v)));
        if (f.shopScope() != null) {
            n.put("shopScope", f.shopScope().toString());
        }
        return n;
    }

    static HistoryFilter filter(JsonNode n) {
        return new HistoryFilter(longOf(n, "productId"), HistoryFilter.time("from", text(n, "from")), HistoryFilter.time("to", text(n, "to")),
                HistoryFilter.changeType(text(n, "changeType")), longOf(n, "operatorId"), longOf(n, "batchId"), text(n, "supplierId"),
                longOf(n, "shopId"), longOf(n, "shopScope"));
    }

    ObjectNode actorJson(Actor a) {
        ObjectNode n = json.createObjectNode();
        n.put("userId", Long.toString(a.userId()));
        n.put("type", a.type());
        ArrayNode roles = n.putArray("roles");
        a.roles().forEach(roles::add);
        if (a.merchantId() != null) {
            n.put("merchantId", a.merchantId().toString());
        }
        n.put("ip", a.ip());
        n.put("userAgent", a.userAgent());
        n.put("name", a.name());
        return n;
    }

    static Actor actor(JsonNode n) {
        Set<String> roles = new HashSet<>();
        n.path("roles").forEach(r -> roles.add(r.asText()));
        return new Actor(Long.parseLong(n.path("userId").asText()), n.path("type").asText(), Set.copyOf(roles), longOf(n, "merchantId"),
                text(n, "ip"), text(n, "userAgent"), text(n, "name"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longOf(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Long.valueOf(s);
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T sql(String sql, Statement<T> body) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return body.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replica with {@code marketops.history-export.enabled=false} (a pure API pod) leaves the jobs to others. */
    @jakarta.inject.Singleton
    public static class ExportsSwitchedOff implements Scheduled.SkipPredicate {
        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("marketops.history-export.enabled", Boolean.class).orElse(true);
        }
    }
}
