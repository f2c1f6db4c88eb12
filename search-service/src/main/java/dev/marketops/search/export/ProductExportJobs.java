package dev.marketops.search.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.files.StoredExportFiles;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.search.query.SearchFilter;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The product_export_job table and its runner: a request is stored with who asked (their user
 * id and, for a merchant, their shop, so the file holds exactly what their own search would),
 * a replica claims the oldest QUEUED job with SKIP LOCKED, streams it into a temporary file and
 * records progress as a heartbeat, then stores the file in product_export_file as it marks the job
 * DONE, so the download works from any replica; the requester polls and downloads. A job whose
 * replica died (no heartbeat for staleAfter) is claimed again and written from the start; a
 * failure is retried up to {@link #MAX_ATTEMPTS} times, a result over the row limit fails at once.
 * Finished jobs and their files are purged after the retention.
 */
@ApplicationScoped
public class ProductExportJobs {

    private static final Logger LOG = Logger.getLogger(ProductExportJobs.class);
    private static final String COLUMNS = "export_id, status, rows_written, error, created_at, finished_at, columns";
    static final int MAX_ATTEMPTS = 3;

    /** A job as the API answers it; {@code columns} are the API names asked for. */
    public record ExportJob(long exportId, String status, long rows, String error, Instant createdAt, Instant finishedAt,
                      List<String> columns) {
    }

    private final AgroalDataSource ds;
    private final SnowflakeIds ids;
    private final ProductExport export;
    private final ObjectMapper json;
    private final ExportConfig config;
    private final MeterRegistry meters;
    private final ClusterSingleton singleton;
    private final StoredExportFiles files;

    public ProductExportJobs(AgroalDataSource ds, SnowflakeIds ids, ProductExport export, ObjectMapper json, ExportConfig config,
                             MeterRegistry meters, ClusterSingleton singleton) {
        this.ds = ds;
        this.singleton = singleton;
        this.files = new StoredExportFiles(ds, "product_export_job", "export_id", "product_export_file", "export_id", ProductExportJobs::notFound);
        this.ids = ids;
        this.export = export;
        this.json = json;
        this.config = config;
        this.meters = meters;
        if (config.maxRows() < 1 || config.maxRows() > ProductExport.MAX_SHEET_ROWS) {
            throw new IllegalStateException("marketops.search.export.max-rows must be 1.." + ProductExport.MAX_SHEET_ROWS
                    + " (the rows of one .xlsx sheet below its header), was " + config.maxRows());
        }
    }

    /** Created at start, so a wrong max-rows stops the service instead of failing every poll. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        LOG.debugf("product exports: at most %d rows, kept %s", config.maxRows(), config.retention());
    }

    /** Stores a checked request; a replica's poller picks it up within seconds. */
    public ExportJob request(ProductExport.Spec spec, Actor who) {
        long id = ids.nextId();
        sql("INSERT INTO product_export_job (export_id, requested_by, requester_shop, filter, sort, item_ids, columns) "
                + "VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)", (c, ps) -> {
                    ps.setLong(1, id);
                    ps.setLong(2, who.userId());
                    ps.setObject(3, spec.ownShop(), Types.BIGINT);
                    ps.setString(4, spec.filter().filter().toString());
                    ps.setString(5, spec.filter().sort());
                    ps.setArray(6, spec.itemIds() == null ? null : c.createArrayOf("bigint", spec.itemIds().toArray()));
                    ps.setArray(7, c.createArrayOf("text", spec.columns().stream().map(ProductColumn::name).toArray()));
                    return ps.executeUpdate();
                });
        return find(id, who).orElseThrow();
    }

    /** The job if {@code who} asked for it; anyone else's is not found. */
    public Optional<ExportJob> find(long id, Actor who) {
        return sql("SELECT " + COLUMNS + " FROM product_export_job WHERE export_id = ? AND requested_by = ?", (c, ps) -> {
            ps.setLong(1, id);
            ps.setLong(2, who.userId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.<ExportJob>empty();
            }
        });
    }

    /** The caller's own jobs, newest first. */
    public List<ExportJob> mine(Actor who, int size) {
        return sql("SELECT " + COLUMNS + " FROM product_export_job WHERE requested_by = ? ORDER BY created_at DESC, export_id DESC LIMIT ?",
                (c, ps) -> {
                    ps.setLong(1, who.userId());
                    ps.setInt(2, size);
                    List<ExportJob> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(job(rs));
                        }
                    }
                    return out;
                });
    }

    /**
     * The finished file of the caller's job: 404 when there is no such job of theirs (or it was
     * purged, or finished before files were kept in the database), 409 while it is not DONE.
     */
    public StoredExportFiles.Ready file(long id, Actor who) {
        return files.ready(id, who.userId());
    }

    /** Streams the stored file to {@code out}; 404 if it was purged since {@link #file} found it. */
    public void copy(StoredExportFiles.Ready file, OutputStream out) throws IOException {
        files.copy(file.id(), out);
    }

    public static ApiProblem notFound(long id) {
        return ApiProblem.notFound("EXPORT_NOT_FOUND", "no product export " + id + " of yours").with("exportId", id);
    }

    @Scheduled(every = "${marketops.search.export.poll:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
            if (c.invalid != null) {
                throw c.invalid;
            }
            if (c.attempts > MAX_ATTEMPTS) {
                throw new IllegalStateException("gave up after " + MAX_ATTEMPTS + " attempts whose runners stopped");
            }
            // on disk first, so memory stays bounded however large the workbook is
            tmp = Files.createTempFile("product-export-" + c.id + "-", ".xlsx");
            long rows;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                long[] lastBeat = {System.currentTimeMillis()};
                rows = export.write(c.spec, config.maxRows(), out, written -> {
                    if (System.currentTimeMillis() - lastBeat[0] > 1000) {
                        lastBeat[0] = System.currentTimeMillis();
                        beat(c.id, written);
                    }
                });
            }
            long bytes = files.finish(c.id, rows, tmp);
            LOG.infof("product export %d done: %d rows, %d bytes", c.id, rows, bytes);
            meters.counter("marketops_search_exports_total", "outcome", "done").increment();
            meters.counter("marketops_search_export_rows_total").increment(rows);
        } catch (Exception e) {
            boolean permanent = e instanceof ProductExport.TooLarge || e == c.invalid;
            if (permanent) {
                LOG.infof("product export %d refused: %s", c.id, e.getMessage());
            } else {
                LOG.warnf(e, "product export %d failed (attempt %d)", c.id, c.attempts);
            }
            boolean last = permanent || c.attempts >= MAX_ATTEMPTS;
            meters.counter("marketops_search_exports_total", "outcome", permanent ? "refused" : last ? "failed" : "retried").increment();
            sql("UPDATE product_export_job SET status = ?, error = ?, finished_at = CASE WHEN ? THEN now() END WHERE export_id = ?",
                    (cn, ps) -> {
                        ps.setString(1, last ? "FAILED" : "QUEUED");
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

    @Scheduled(every = "${marketops.search.export.purge-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeTick() {
        singleton.runIfLeader("product-export-purge", () -> purgeExpired() + " product exports purged");
    }

    /** Deletes the finished jobs (and so their files) older than the retention; answers how many. */
    public int purgeExpired() {
        return files.purge(config.retention());
    }

    /** {@code invalid}: why the stored request cannot run (it fails at once, no retry). */
    private record Claimed(long id, int attempts, ProductExport.Spec spec, RuntimeException invalid) {
    }

    private Claimed claim() {
        return sql("""
                UPDATE product_export_job SET status = 'RUNNING', attempts = attempts + 1, started_at = now(), heartbeat_at = now(),
                       rows_written = 0
                WHERE export_id = (SELECT export_id FROM product_export_job
                                   WHERE status = 'QUEUED' OR (status = 'RUNNING' AND heartbeat_at < now() - ?::interval)
                                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING export_id, attempts, requester_shop, filter::text, sort, item_ids, columns""", (c, ps) -> {
            ps.setString(1, config.staleAfter().toMillis() + " milliseconds");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long id = rs.getLong(1);
                int attempts = rs.getInt(2);
                long shop = rs.getLong(3);
                Long ownShop = rs.wasNull() ? null : shop;
                try {
                    JsonNode filter = json.readTree(rs.getString(4));
                    // checked again as the requester, so a request an older build stored is refused, not half-written
                    SearchFilter f = SearchFilter.read(filter, rs.getString(5), ownShop);
                    Array itemIds = rs.getArray(6);
                    Collection<Long> selection = itemIds == null ? null : Arrays.asList((Long[]) itemIds.getArray());
                    List<ProductColumn> columns = Arrays.stream((String[]) rs.getArray(7).getArray()).map(ProductColumn::valueOf).toList();
                    return new Claimed(id, attempts, new ProductExport.Spec(f, ownShop, selection, columns), null);
                } catch (RuntimeException e) {
                    return new Claimed(id, attempts, null, e);
                }
            } catch (IOException e) {
                throw new IllegalStateException("unreadable export job", e);
            }
        });
    }

    private void beat(long id, long rows) {
        sql("UPDATE product_export_job SET heartbeat_at = now(), rows_written = ? WHERE export_id = ?", (c, ps) -> {
            ps.setLong(1, rows);
            ps.setLong(2, id);
            return ps.executeUpdate();
        });
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        List<String> columns = Arrays.stream((String[]) rs.getArray(7).getArray()).map(n -> ProductColumn.valueOf(n).apiName()).toList();
        return new ExportJob(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), instant(rs.getTimestamp(5)),
                instant(rs.getTimestamp(6)), columns);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private interface Statement<T> {
        T run(Connection c, PreparedStatement ps) throws SQLException;
    }

    private <T> T sql(String sql, Statement<T> body) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return body.run(c, ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replica with {@code marketops.search.export.enabled=false} leaves the jobs to others. */
    @jakarta.inject.Singleton
    public static class ExportsSwitchedOff implements Scheduled.SkipPredicate {
        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("marketops.search.export.enabled", Boolean.class).orElse(true);
        }
    }
}
