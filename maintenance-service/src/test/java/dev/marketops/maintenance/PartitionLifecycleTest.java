package dev.marketops.maintenance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.maintenance.lifecycle.DataArchiveWorker;
import dev.marketops.maintenance.lifecycle.DataCleanupWorker;
import dev.marketops.maintenance.lifecycle.DeletedTableCleanupWorker;
import dev.marketops.maintenance.lifecycle.TableShardingWorker;
import dev.marketops.platform.cron.ClusterSingleton;
import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partition lifecycle on a table of its own (schema lifecycle_probe, registered like the
 * services' tables), walked across months by moving the clock: partitions made ahead, rows that
 * came too early moved out of the default partition, months past retention archived, archived
 * months past their retention dropped, no row still in retention lost, and a query over two months
 * answered across the partition boundary. The services' own tables are switched off in the registry
 * meanwhile, so walking the clock into the future does not archive the shared test database's months.
 */
@QuarkusTest
class PartitionLifecycleTest {

    static final String SCHEMA = "lifecycle_probe";

    @Inject
    AgroalDataSource ds;
    @Inject
    MovableClock clock;
    @Inject
    TableShardingWorker sharding;
    @Inject
    DataArchiveWorker archive;
    @Inject
    DeletedTableCleanupWorker dropArchived;
    @Inject
    DataCleanupWorker cleanup;

    private final List<String> switchedOff = new ArrayList<>();

    @BeforeEach
    void probeTables() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("DELETE FROM archived_partition WHERE table_schema = '" + SCHEMA + "'");
            deleteExports();
            st.execute("DROP TABLE IF EXISTS archive." + SCHEMA + "__events_203101, archive." + SCHEMA + "__events_203102");
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute("""
                    CREATE TABLE lifecycle_probe.events (id BIGSERIAL, happened_at TIMESTAMPTZ NOT NULL, note TEXT NOT NULL CHECK (note <> ''),
                        PRIMARY KEY (id, happened_at)) PARTITION BY RANGE (happened_at)""");
            st.execute("CREATE INDEX events_note ON lifecycle_probe.events (note)");
            st.execute("CREATE TABLE lifecycle_probe.events_default PARTITION OF lifecycle_probe.events DEFAULT");
            st.execute("CREATE TABLE lifecycle_probe.things (id BIGINT PRIMARY KEY, deleted_at TIMESTAMPTZ)");
            try (ResultSet rs = st.executeQuery("SELECT table_schema || '.' || table_name FROM partitioned_table WHERE enabled")) {
                while (rs.next()) {
                    switchedOff.add(rs.getString(1));
                }
            }
            st.execute("UPDATE partitioned_table SET enabled = false");
            st.execute("UPDATE soft_delete_table SET enabled = false");
            st.execute("""
                    INSERT INTO partitioned_table (table_schema, table_name, months_ahead, retention_months, archive_retention_months)
                    VALUES ('lifecycle_probe', 'events', 1, 2, 1)""");
            st.execute("INSERT INTO soft_delete_table (table_schema, table_name, retention_days) VALUES ('lifecycle_probe', 'things', 30)");
        }
    }

    @AfterEach
    void restore() throws SQLException {
        clock.reset();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM partitioned_table WHERE table_schema = '" + SCHEMA + "'");
            st.execute("DELETE FROM soft_delete_table WHERE table_schema = '" + SCHEMA + "'");
            st.execute("UPDATE soft_delete_table SET enabled = true");
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE partitioned_table SET enabled = true WHERE table_schema || '.' || table_name = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", switchedOff.toArray()));
                ps.executeUpdate();
            }
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void partitionsAreMadeAheadArchivedAndDroppedWithoutLosingARowInRetention() throws Exception {
        // January 2031: this month and the next are made
        clock.set(Instant.parse("2031-01-15T10:00:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, sharding.run());
        assertEquals(List.of("events_203101", "events_203102", "events_default"), partitions());
        insert("2031-01-03T00:00:00Z", "jan-early", "2031-01-31T23:59:59Z", "jan-last-second", "2031-02-01T00:00:00Z", "feb-first",
                "2031-02-20T12:00:00Z", "feb-late", "2031-03-05T08:00:00Z", "mar-too-early");
        assertEquals(List.of("mar-too-early"), notes("lifecycle_probe.events_default"));
        // a query over two months is answered across the partition boundary
        assertEquals(List.of("jan-last-second", "feb-first", "feb-late"),
                notes("lifecycle_probe.events WHERE happened_at >= '2031-01-20' AND happened_at < '2031-03-01'"));

        // February: March is made, and the row that came too early moves into it
        clock.set(Instant.parse("2031-02-10T00:00:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, sharding.run());
        assertEquals(List.of("events_203101", "events_203102", "events_203103", "events_default"), partitions());
        assertEquals(List.of(), notes("lifecycle_probe.events_default"));
        assertEquals(List.of("mar-too-early"), notes("lifecycle_probe.events_203103"));
        assertEquals(1L, count("SELECT row_count FROM lifecycle_run WHERE job = 'table-sharding' AND table_schema = 'lifecycle_probe' "
                + "AND ran_at = '2031-02-10T00:00:00Z' AND partitions = '{events_203103}'"));
        // a row inserted now lands in the new partition; the index and check hold there too
        insert("2031-03-09T00:00:00Z", "mar-second");
        assertEquals(List.of("mar-too-early", "mar-second"), notes("lifecycle_probe.events_203103"));
        assertEquals(2L, count("SELECT count(*) FROM lifecycle_probe.events WHERE note LIKE 'mar-%'"));

        // April 2031, retention 2 months: January is past it and leaves for the archive; February stays
        clock.set(Instant.parse("2031-04-10T00:00:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, archive.run());
        assertEquals(List.of("events_203102", "events_203103", "events_default"), partitions());
        assertEquals(List.of("jan-early", "jan-last-second"), notes("archive.lifecycle_probe__events_203101"));
        assertEquals(List.of("feb-first", "feb-late", "mar-too-early", "mar-second"), notes("lifecycle_probe.events"));
        // every row still in retention (the last 2 months) is there
        assertEquals(0L, count("SELECT count(*) FROM (VALUES ('2031-02-20T12:00:00Z'::timestamptz), ('2031-03-05T08:00:00Z')) v(t) "
                + "WHERE NOT EXISTS (SELECT 1 FROM lifecycle_probe.events e WHERE e.happened_at = v.t)"));
        assertEquals(2L, count("SELECT row_count FROM archived_partition WHERE table_schema = 'lifecycle_probe' AND month = '2031-01-01'"));
        assertEquals(2L, count("SELECT row_count FROM lifecycle_run WHERE job = 'data-archive' AND table_schema = 'lifecycle_probe' "
                + "AND partitions = '{events_203101}'"));
        // and January was exported as a file before it left: CSV with a header, gzip'd, recorded with the month and the run
        Path january = Path.of(text("SELECT export_path FROM archived_partition WHERE table_schema = 'lifecycle_probe' AND month = '2031-01-01'"));
        assertEquals(EXPORTS.resolve("lifecycle_probe/events/events_203101.csv.gz"), january);
        List<String> csv = gunzip(january);
        assertEquals("id,happened_at,note", csv.get(0));
        assertEquals(List.of("jan-early", "jan-last-second"), csv.subList(1, csv.size()).stream().map(l -> l.substring(l.lastIndexOf(',') + 1)).toList());
        assertEquals(2L, count("SELECT export_rows FROM archived_partition WHERE table_schema = 'lifecycle_probe' AND month = '2031-01-01' "
                + "AND export_bytes = " + Files.size(january) + " AND exported_at = '2031-04-10T00:00:00Z'"));
        assertTrue(text("SELECT detail FROM lifecycle_run WHERE job = 'data-archive' AND table_schema = 'lifecycle_probe' "
                + "AND partitions = '{events_203101}'").contains(january.toString()));
        // a month archived without its file (before export was turned on) is exported before it may be dropped
        Files.delete(january);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE archived_partition SET export_path = NULL, export_bytes = NULL, export_rows = NULL, exported_at = NULL "
                    + "WHERE table_schema = 'lifecycle_probe' AND month = '2031-01-01'");
        }
        // archived months are not dropped before their own retention (1 month after leaving)
        assertEquals(ClusterSingleton.RunResult.RAN, dropArchived.run());
        assertTrue(exists("archive.lifecycle_probe__events_203101"));

        // May: February is archived too; June: January (archived 1 month + retention 2) is dropped, February is kept
        clock.set(Instant.parse("2031-05-02T00:00:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, archive.run());
        assertEquals(List.of("feb-first", "feb-late"), notes("archive.lifecycle_probe__events_203102"));
        clock.set(Instant.parse("2031-05-20T00:00:00Z"));
        assertEquals(ClusterSingleton.RunResult.RAN, dropArchived.run());
        assertFalse(exists("archive.lifecycle_probe__events_203101"));
        assertEquals(3, gunzip(january).size(), "January's file, made again before its table was dropped");
        assertTrue(text("SELECT detail FROM lifecycle_run WHERE job = 'deleted-table-cleanup' AND table_schema = 'lifecycle_probe' "
                + "AND ran_at = '2031-05-20T00:00:00Z'").contains(january.toString()));
        assertEquals(january.toString(), text("SELECT export_path FROM archived_partition WHERE table_schema = 'lifecycle_probe' "
                + "AND month = '2031-01-01' AND exported_at = '2031-05-20T00:00:00Z'"));
        assertTrue(exists("archive.lifecycle_probe__events_203102"));
        assertEquals(1L, count("SELECT count(*) FROM archived_partition WHERE table_schema = 'lifecycle_probe' "
                + "AND month = '2031-01-01' AND dropped_at = '2031-05-20T00:00:00Z'"));
        assertEquals(List.of("mar-too-early", "mar-second"), notes("lifecycle_probe.events"));

        // and the runs are readable as job runs
        given().header("Authorization", Tokens.bearer("operator", 70)).queryParam("jobName", "data-archive").get("/job-runs")
                .then().statusCode(200);
    }

    @Test
    void softDeletedRowsArePurgedAfterTheirRetentionOnly() throws Exception {
        clock.set(Instant.parse("2031-06-30T00:00:00Z"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO lifecycle_probe.things (id, deleted_at) VALUES
                        (1, NULL), (2, '2031-06-20T00:00:00Z'), (3, '2031-05-31T00:00:01Z'), (4, '2031-05-30T23:59:59Z'), (5, '2030-01-01T00:00:00Z')""");
        }
        assertEquals(ClusterSingleton.RunResult.RAN, cleanup.run());
        assertEquals(List.of(1L, 2L, 3L), ids());
        assertEquals(2L, count("SELECT row_count FROM lifecycle_run WHERE job = 'data-cleanup' AND table_schema = 'lifecycle_probe' "
                + "AND ran_at = '2031-06-30T00:00:00Z'"));
    }

    /**
     * Listing tasks soft-deleted through listing-service (DELETE /listings/{id} sets deleted_at) are
     * purged by DataCleanupWorker once their 90 days (soft_delete_table) are over, and only then.
     * The rows are put in listing's table here, as listing-service leaves them.
     */
    @Test
    void softDeletedListingTasksArePurgedAfterTheirNinetyDays() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(exists("listing.listing_task"), "listing-service's schema is migrated in this database");
        long base = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 50, 1L << 58);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE soft_delete_table SET enabled = (table_schema = 'listing' AND table_name = 'listing_task')");
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO listing.listing_task (task_id, task_code, task_type, category_id, title, source_type, source_user_type, deleted_at)
                    VALUES (?, 'PURGE' || ?, 'single_create', 1200, 'purge probe', 'merchant_portal', 'merchant', ?)""")) {
                Instant[] deleted = {now.minus(java.time.Duration.ofDays(91)), now.minus(java.time.Duration.ofDays(89)), null};
                for (int i = 0; i < deleted.length; i++) {
                    ps.setLong(1, base + i);
                    ps.setLong(2, base + i);
                    ps.setTimestamp(3, deleted[i] == null ? null : java.sql.Timestamp.from(deleted[i]));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try {
            clock.set(now);
            assertEquals(ClusterSingleton.RunResult.RAN, cleanup.run());
            assertEquals(List.of(base + 1, base + 2), longs("SELECT task_id FROM listing.listing_task WHERE task_id BETWEEN " + base
                    + " AND " + (base + 2) + " ORDER BY task_id"));
            assertTrue(count("SELECT row_count FROM lifecycle_run WHERE job = 'data-cleanup' AND table_schema = 'listing' "
                    + "AND table_name = 'listing_task' AND outcome = 'succeeded' AND ran_at = '" + now + "'") >= 1);
        } finally {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM listing.listing_task WHERE task_id BETWEEN " + base + " AND " + (base + 2));
            }
        }
    }

    /**
     * Role notices past 90 days and user notices read more than 180 days ago are deleted by the same
     * run (soft_delete_table rows of V9); newer ones and unread ones stay, however old.
     */
    @Test
    void oldRoleNoticesAndLongReadNotificationsArePurgedUnreadOnesStay() throws Exception {
        String run = "purge-" + java.util.UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.util.function.IntFunction<java.sql.Timestamp> daysAgo = d -> java.sql.Timestamp.from(now.minus(java.time.Duration.ofDays(d)));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE soft_delete_table SET enabled = (table_schema = 'maintenance' AND table_name IN ('role_notification', 'notification'))");
            try (PreparedStatement role = c.prepareStatement("INSERT INTO role_notification (role, kind, title, subject_type, event_id, created_at)"
                    + " VALUES ('operator', 'listing.escalated', 'probe', 'listing_task', ?, ?)");
                 PreparedStatement user = c.prepareStatement("INSERT INTO notification (user_id, kind, title, subject_type, subject_id, event_id,"
                         + " created_at, read_at) VALUES (424242, 'listing.rejected', 'probe', 'listing_task', 1, ?, ?, ?)")) {
                for (int d : new int[] {91, 89}) {
                    role.setString(1, run + "-role-" + d);
                    role.setTimestamp(2, daysAgo.apply(d));
                    role.addBatch();
                }
                role.executeBatch();
                int[][] createdRead = {{400, 181}, {400, 179}, {400, -1}};
                for (int[] cr : createdRead) {
                    user.setString(1, run + "-user-" + cr[1]);
                    user.setTimestamp(2, daysAgo.apply(cr[0]));
                    user.setTimestamp(3, cr[1] < 0 ? null : daysAgo.apply(cr[1]));
                    user.addBatch();
                }
                user.executeBatch();
            }
        }
        clock.set(now);
        assertEquals(ClusterSingleton.RunResult.RAN, cleanup.run());
        assertEquals(List.of(run + "-role-89"), texts("SELECT event_id FROM role_notification WHERE event_id LIKE '" + run + "%'"));
        assertEquals(List.of(run + "-user--1", run + "-user-179"),
                texts("SELECT event_id FROM notification WHERE event_id LIKE '" + run + "%' ORDER BY event_id"));
        assertTrue(count("SELECT row_count FROM lifecycle_run WHERE job = 'data-cleanup' AND table_name = 'role_notification' "
                + "AND outcome = 'succeeded' AND ran_at = '" + now + "'") >= 1);
    }

    private List<String> texts(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<Long> longs(String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** The test profile's export directory (marketops.lifecycle.archive-export.dir), as the job resolves it. */
    static final Path EXPORTS = Path.of("target/archive-export").toAbsolutePath();

    private static void deleteExports() {
        Path dir = EXPORTS.resolve(SCHEMA);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<String> gunzip(Path file) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void insert(String... timeAndNote) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO lifecycle_probe.events (happened_at, note) VALUES (?::timestamptz, ?)")) {
            for (int i = 0; i < timeAndNote.length; i += 2) {
                ps.setString(1, timeAndNote[i]);
                ps.setString(2, timeAndNote[i + 1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<String> partitions() throws SQLException {
        return strings("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'lifecycle_probe.events'::regclass ORDER BY 1");
    }

    private List<String> notes(String from) throws SQLException {
        return strings("SELECT note FROM " + from + " ORDER BY happened_at");
    }

    private List<Long> ids() throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM lifecycle_probe.things ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private boolean exists(String table) throws SQLException {
        return count("SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + table + "')") == 1;
    }
}
