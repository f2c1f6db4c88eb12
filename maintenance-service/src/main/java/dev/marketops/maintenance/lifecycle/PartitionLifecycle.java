package dev.marketops.maintenance.lifecycle;

import dev.marketops.maintenance.lifecycle.LifecycleRuns.Step;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The monthly partitions of the tables in partitioned_table, over JDBC on the one database every
 * service's schema lives in. Partitions are named {@code <table>_YYYYMM} and hold one UTC month of
 * the table's partition key; a table may have a DEFAULT partition as a safety net for rows whose
 * month was not made in time. Each table is handled in its own transaction, so one failing table
 * (a lock it could not get, a table not migrated yet) does not hold back the others.
 */
@ApplicationScoped
public class PartitionLifecycle {

    private static final Logger LOG = Logger.getLogger(PartitionLifecycle.class);
    public static final String ARCHIVE_SCHEMA = "archive";
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMM");

    record Managed(String schema, String table, int monthsAhead, int retentionMonths, int archiveRetentionMonths,
                   String storageParams) {

        String qualified() {
            return ident(schema) + "." + ident(table);
        }
    }

    @FunctionalInterface
    private interface TableWork {
        Step run(Connection c, Managed t, YearMonth now) throws SQLException;
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    Clock clock;
    @Inject
    LifecycleRuns runs;
    @Inject
    PartitionExport export;

    /** TableShardingWorker: this month and the next months_ahead months exist for every managed table. */
    public String createAhead() {
        return forEachTable("table-sharding", this::createAhead);
    }

    /** DataArchiveWorker: months that ended more than retention_months ago leave for the archive schema. */
    public String archive() {
        return forEachTable("data-archive", this::archive);
    }

    /** DeletedTableCleanupWorker: archived months past their archive retention are dropped. */
    public String dropArchived() {
        return forEachTable("deleted-table-cleanup", this::dropArchived);
    }

    private String forEachTable(String job, TableWork work) {
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        List<Step> steps = new ArrayList<>();
        for (Managed t : managed()) {
            long t0 = System.nanoTime();
            Step step;
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    step = exists(c, t) ? work.run(c, t, month) : skipped(t, "no such partitioned table (yet)");
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    LOG.errorf(e, "%s on %s.%s failed", job, t.schema(), t.table());
                    step = new Step(t.schema(), t.table(), List.of(), 0, "failed", e.getMessage(), 0);
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("database unavailable for " + job, e);
            }
            steps.add(new Step(step.schema(), step.table(), step.partitions(), step.rows(), step.outcome(), step.detail(),
                    (System.nanoTime() - t0) / 1_000_000));
        }
        return runs.record(job, now, steps);
    }

    private Step createAhead(Connection c, Managed t, YearMonth now) throws SQLException {
        List<String> existing = partitions(c, t);
        Optional<String> defaultPart = defaultPartition(c, t);
        String key = ident(partitionKey(c, t));
        String with = t.storageParams() == null || t.storageParams().isBlank() ? "" : " WITH (" + t.storageParams() + ")";
        List<String> made = new ArrayList<>();
        long moved = 0;
        try (Statement st = c.createStatement()) {
            for (int i = 0; i <= t.monthsAhead(); i++) {
                YearMonth m = now.plusMonths(i);
                String name = t.table() + "_" + m.format(SUFFIX);
                if (existing.contains(name)) {
                    continue;
                }
                String part = ident(t.schema()) + "." + ident(name);
                String bounds = " FOR VALUES FROM (" + bound(m) + ") TO (" + bound(m.plusMonths(1)) + ")";
                if (defaultPart.isEmpty()) {
                    st.execute("CREATE TABLE " + part + " PARTITION OF " + t.qualified() + bounds + with);
                } else {
                    // Rows of this month may have landed in the default partition meanwhile: they move to
                    // the new partition before it is attached (attaching checks the default holds none).
                    st.execute("CREATE TABLE " + part + " (LIKE " + t.qualified()
                            + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)" + with);
                    moved += st.executeUpdate("WITH moved AS (DELETE FROM " + ident(t.schema()) + "." + ident(defaultPart.get())
                            + " WHERE " + key + " >= " + bound(m) + " AND " + key + " < " + bound(m.plusMonths(1))
                            + " RETURNING *) INSERT INTO " + part + " SELECT * FROM moved");
                    st.execute("ALTER TABLE " + t.qualified() + " ATTACH PARTITION " + part + bounds);
                }
                made.add(name);
            }
        }
        return new Step(t.schema(), t.table(), made, moved, "succeeded",
                moved == 0 ? null : moved + " rows moved out of the default partition", 0);
    }

    private Step archive(Connection c, Managed t, YearMonth now) throws SQLException {
        YearMonth keepFrom = now.minusMonths(t.retentionMonths());
        List<String> archived = new ArrayList<>();
        List<String> files = new ArrayList<>();
        long rows = 0;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + ARCHIVE_SCHEMA);
            for (String name : partitions(c, t)) {
                Optional<YearMonth> m = monthOf(t, name);
                if (m.isEmpty() || !m.get().isBefore(keepFrom)) {
                    continue;
                }
                String part = ident(t.schema()) + "." + ident(name);
                long count;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + part)) {
                    rs.next();
                    count = rs.getLong(1);
                }
                // the file first: a month leaves the table only once its copy is complete
                PartitionExport.Exported file = export.enabled() ? export.export(c, t.schema(), name, t.schema(), t.table(), name) : null;
                String archiveName = archiveName(t, name);
                st.execute("ALTER TABLE " + t.qualified() + " DETACH PARTITION " + part);
                st.execute("ALTER TABLE " + part + " RENAME TO " + ident(archiveName));
                st.execute("ALTER TABLE " + ident(t.schema()) + "." + ident(archiveName) + " SET SCHEMA " + ARCHIVE_SCHEMA);
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO archived_partition (table_schema, table_name, month, archive_table, row_count, archived_at,
                                                        export_path, export_bytes, export_rows, exported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setString(1, t.schema());
                    ps.setString(2, t.table());
                    ps.setObject(3, m.get().atDay(1));
                    ps.setString(4, archiveName);
                    ps.setLong(5, count);
                    ps.setTimestamp(6, Timestamp.from(clock.instant()));
                    bindExport(ps, 7, file);
                    ps.executeUpdate();
                }
                archived.add(name);
                rows += count;
                if (file != null) {
                    files.add(file.path().toString());
                }
            }
        }
        return new Step(t.schema(), t.table(), archived, rows, "succeeded", files.isEmpty() ? null : "exported to " + String.join(", ", files), 0);
    }

    /** export_path, export_bytes, export_rows and exported_at (the job's clock) from {@code from} on; all null without a file. */
    private void bindExport(PreparedStatement ps, int from, PartitionExport.Exported file) throws SQLException {
        ps.setString(from, file == null ? null : file.path().toString());
        ps.setObject(from + 1, file == null ? null : file.bytes(), java.sql.Types.BIGINT);
        ps.setObject(from + 2, file == null ? null : file.rows(), java.sql.Types.BIGINT);
        ps.setTimestamp(from + 3, file == null ? null : Timestamp.from(clock.instant()));
    }

    /**
     * With export on, an archived month without its file (archived before export was turned on)
     * gets it now, before it may be dropped; returns the files made.
     */
    private List<String> exportMissing(Connection c, Managed t, LocalDate dropBefore) throws SQLException {
        List<String[]> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT archive_table, to_char(month, 'YYYYMM') FROM archived_partition WHERE table_schema = ? AND table_name = ?
                   AND dropped_at IS NULL AND month < ? AND export_path IS NULL""")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            ps.setObject(3, dropBefore);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        List<String> files = new ArrayList<>();
        for (String[] a : missing) {
            PartitionExport.Exported file = export.export(c, ARCHIVE_SCHEMA, a[0], t.schema(), t.table(), t.table() + "_" + a[1]);
            files.add(file.path().toString());
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE archived_partition SET export_path = ?, export_bytes = ?, export_rows = ?, exported_at = ?
                     WHERE table_schema = ? AND table_name = ? AND archive_table = ?""")) {
                bindExport(ps, 1, file);
                ps.setString(5, t.schema());
                ps.setString(6, t.table());
                ps.setString(7, a[0]);
                ps.executeUpdate();
            }
        }
        return files;
    }

    private Step dropArchived(Connection c, Managed t, YearMonth now) throws SQLException {
        LocalDate dropBefore = now.minusMonths(t.retentionMonths() + (long) t.archiveRetentionMonths()).atDay(1);
        List<String> files = export.enabled() ? exportMissing(c, t, dropBefore) : List.of();
        List<String> dropped = new ArrayList<>();
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE archived_partition SET dropped_at = ? WHERE table_schema = ? AND table_name = ? AND dropped_at IS NULL
                   AND month < ? RETURNING archive_table, row_count""");
             Statement st = c.createStatement()) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, t.schema());
            ps.setString(3, t.table());
            ps.setObject(4, dropBefore);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dropped.add(rs.getString(1));
                    rows += rs.getLong(2);
                }
            }
            for (String name : dropped) {
                st.execute("DROP TABLE IF EXISTS " + ARCHIVE_SCHEMA + "." + ident(name));
            }
        }
        return new Step(t.schema(), t.table(), dropped, rows, "succeeded",
                files.isEmpty() ? null : "exported before the drop: " + String.join(", ", files), 0);
    }

    private static Step skipped(Managed t, String why) {
        return new Step(t.schema(), t.table(), List.of(), 0, "skipped", why, 0);
    }

    private List<Managed> managed() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT table_schema, table_name, months_ahead, retention_months, archive_retention_months, storage_params
                  FROM partitioned_table WHERE enabled ORDER BY table_schema, table_name""");
             ResultSet rs = ps.executeQuery()) {
            List<Managed> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Managed(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getString(6)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read partitioned_table", e);
        }
    }

    private static boolean exists(Connection c, Managed t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(?))")) {
            ps.setString(1, t.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> partitions(Connection c, Managed t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
                 WHERE i.inhparent = to_regclass(?) ORDER BY p.relname""")) {
            ps.setString(1, t.qualified());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static Optional<String> defaultPartition(Connection c, Managed t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.relname FROM pg_partitioned_table pt JOIN pg_class p ON p.oid = pt.partdefid
                 WHERE pt.partrelid = to_regclass(?)""")) {
            ps.setString(1, t.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The (single) column the table is partitioned by. */
    private static String partitionKey(Connection c, Managed t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname FROM pg_partitioned_table pt
                  JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
                 WHERE pt.partrelid = to_regclass(?) AND pt.partstrat = 'r' AND pt.partnatts = 1""")) {
            ps.setString(1, t.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(t.qualified() + " is not range-partitioned on one column");
                }
                return rs.getString(1);
            }
        }
    }

    private static Optional<YearMonth> monthOf(Managed t, String partition) {
        Matcher m = Pattern.compile(Pattern.quote(t.table()) + "_(\\d{6})").matcher(partition);
        return m.matches() ? Optional.of(YearMonth.parse(m.group(1), SUFFIX)) : Optional.empty();
    }

    /** e.g. listing__listing_state_history_202601: one archive schema for every service's schema. */
    static String archiveName(Managed t, String partition) {
        String name = t.schema() + "__" + partition;
        if (name.length() > 63) {
            throw new IllegalStateException("archive name " + name + " is longer than PostgreSQL's 63 characters");
        }
        return name;
    }

    private static String bound(YearMonth m) {
        return "'" + m.atDay(1) + " 00:00:00+00'";
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
