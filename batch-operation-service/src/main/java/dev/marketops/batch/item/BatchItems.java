package dev.marketops.batch.item;

import dev.marketops.batch.Json;
import dev.marketops.batch.worker.ClaimedItem;
import dev.marketops.batch.worker.ItemOutcome;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * operation_batch_item, written and read set-based: COPY for the upload, one claim statement
 * per chunk (FOR UPDATE SKIP LOCKED), one multi-row UPDATE per chunk for the outcomes. Every
 * statement names batch_id and created_at, so it touches one monthly partition only.
 */
@ApplicationScoped
public class BatchItems {

    @Inject
    AgroalDataSource ds;

    /** A row as written at upload. */
    public record NewItem(int rowNo, String targetType, Long targetId, String dedupeKey, String payloadJson,
                          String rowDataJson, String status, String errorCode, String errorField, String errorMessage) {
    }

    /** A stored item for listings and result files. */
    public record StoredItem(int rowNo, String targetType, Long targetId, String status, String payloadJson,
                             String rowDataJson, String beforeJson, String afterJson, String errorCode,
                             String errorField, String errorMessage, int attempts) {
    }

    public record Claimed(List<ClaimedItem> items, int newlyProcessing) {
    }

    /** Streams items into one COPY inside the caller's transaction (memory stays flat for 1,000,000 rows). */
    public final class Writer implements AutoCloseable {
        private final CopyIn copy;
        private final StringBuilder buf = new StringBuilder(1 << 20);
        private final long batchId;
        private final String createdAt;
        private int count;

        Writer(Connection c, long batchId, OffsetDateTime createdAt) throws SQLException {
            this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY operation_batch_item (batch_id, row_no, created_at, target_type, target_id, dedupe_key, payload,
                        row_data, status, error_code, error_field, error_message) FROM STDIN""");
            this.batchId = batchId;
            this.createdAt = createdAt.toString();
        }

        public void add(NewItem i) {
            buf.append(batchId).append('\t').append(i.rowNo()).append('\t').append(createdAt).append('\t');
            field(i.targetType()).append('\t');
            field(i.targetId() == null ? null : i.targetId().toString()).append('\t');
            field(i.dedupeKey()).append('\t');
            field(i.payloadJson()).append('\t');
            field(i.rowDataJson()).append('\t');
            field(i.status()).append('\t');
            field(i.errorCode()).append('\t');
            field(i.errorField()).append('\t');
            field(i.errorMessage()).append('\n');
            count++;
            if (buf.length() > (1 << 20)) {
                flush();
            }
        }

        public int count() {
            return count;
        }

        private StringBuilder field(String s) {
            if (s == null) {
                return buf.append("\\N");
            }
            for (int k = 0; k < s.length(); k++) {
                char ch = s.charAt(k);
                switch (ch) {
                    case '\\' -> buf.append("\\\\");
                    case '\t' -> buf.append("\\t");
                    case '\n' -> buf.append("\\n");
                    case '\r' -> buf.append("\\r");
                    default -> buf.append(ch);
                }
            }
            return buf;
        }

        private void flush() {
            try {
                byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                buf.setLength(0);
            } catch (SQLException e) {
                throw new IllegalStateException("could not write batch items", e);
            }
        }

        @Override
        public void close() throws SQLException {
            flush();
            copy.endCopy();
        }
    }

    public Writer writer(Connection c, long batchId, OffsetDateTime createdAt) throws SQLException {
        return new Writer(c, batchId, createdAt);
    }

    /** Later rows with the key of an earlier row of the same file are refused; returns how many. */
    public int markDuplicates(Connection c, long batchId, OffsetDateTime createdAt, String column) throws SQLException {
        // Find first, then update by key: as one UPDATE joined to the windowed sub-select, the
        // planner (no statistics yet for rows COPYed a moment ago) took 55 s for 10,000 rows (measured).
        List<Integer> rows = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT row_no, first_row FROM (
                    SELECT row_no, min(row_no) OVER (PARTITION BY dedupe_key) AS first_row FROM operation_batch_item
                     WHERE batch_id = ? AND created_at = ? AND dedupe_key IS NOT NULL AND status = 'pending') d
                WHERE row_no <> first_row""")) {
            ps.setLong(1, batchId);
            ps.setObject(2, createdAt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getInt(1));
                    firsts.add(rs.getInt(2));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET status = 'validation_failed', error_code = 'DUPLICATE_IN_FILE',
                       error_field = ?, error_message = 'the same ' || ? || ' as row ' || d.first_row
                FROM unnest(?::int[], ?::int[]) AS d(row_no, first_row)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.row_no = d.row_no""")) {
            ps.setString(1, column);
            ps.setString(2, column);
            ps.setArray(3, c.createArrayOf("int4", rows.toArray()));
            ps.setArray(4, c.createArrayOf("int4", firsts.toArray()));
            ps.setLong(5, batchId);
            ps.setObject(6, createdAt);
            return ps.executeUpdate();
        }
    }

    /** Pending items become skipped with a reason (cancel, or a batch rejected as a whole). */
    public int skipOpen(Connection c, long batchId, OffsetDateTime createdAt, String code, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item SET status = 'skipped', error_code = ?, error_message = ?, lease_until = NULL,
                       updated_at = now()
                WHERE batch_id = ? AND created_at = ? AND status IN ('pending', 'validating')""")) {
            ps.setString(1, code);
            ps.setString(2, message);
            ps.setLong(3, batchId);
            ps.setObject(4, createdAt);
            return ps.executeUpdate();
        }
    }

    /**
     * Takes up to {@code limit} items nobody holds: pending ones whose backoff is over, and
     * processing ones whose holder's lease ran out (it crashed). Other workers skip rows this
     * one has locked, so replicas share a batch without waiting on each other. {@code afterRow}
     * is the caller's cursor: it walks the primary key forward instead of rescanning finished
     * rows; a pass from 0 picks up retries and expired leases behind it.
     */
    public Claimed claim(Connection c, long batchId, OffsetDateTime createdAt, int afterRow, int limit, int leaseSeconds)
            throws SQLException {
        // Two statements, both by primary key: lock the next rows, then update exactly those,
        // joined to their row numbers as unnest (planned as a loop of key lookups). Measured on
        // PostgreSQL 15 with a 1,000,000-row batch: one UPDATE ... FROM (locking sub-select)
        // re-ran the locking scan per joined row and claimed the whole batch; joined to a
        // MATERIALIZED CTE, and with "row_no = ANY (array of 20,000)", the plan scanned the
        // partition and one claim took more than 60 s. Every statement joined to a chunk's row
        // numbers also names their range: with no statistics on the partition (rows COPYed a moment
        // ago, autovacuum late or off) the planner hashes the unnest and scans the whole batch
        // for it, 1,000,000 rows per 20,000-row chunk (measured: 1.04 s against 0.13 s bounded).
        List<Integer> rowNos = new ArrayList<>(Math.min(limit, 100_000));
        int fresh = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT row_no, status FROM operation_batch_item
                 WHERE batch_id = ? AND created_at = ? AND row_no > ? AND status IN ('pending', 'processing')
                   AND (lease_until IS NULL OR lease_until < now())
                 ORDER BY row_no LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            ps.setLong(1, batchId);
            ps.setObject(2, createdAt);
            ps.setInt(3, afterRow);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rowNos.add(rs.getInt(1));
                    if ("pending".equals(rs.getString(2))) {
                        fresh++;
                    }
                }
            }
        }
        List<ClaimedItem> out = new ArrayList<>(rowNos.size());
        if (rowNos.isEmpty()) {
            return new Claimed(out, 0);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET status = 'processing', attempts = i.attempts + 1,
                       lease_until = now() + make_interval(secs => ?), updated_at = now()
                FROM unnest(?::int[]) AS c(row_no)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.row_no = c.row_no AND i.row_no BETWEEN ? AND ?
                RETURNING i.row_no, i.target_id, i.payload::text, i.attempts, i.pre_version, i.before_value::text""")) {
            ps.setInt(1, leaseSeconds);
            ps.setArray(2, c.createArrayOf("int4", rowNos.toArray()));
            ps.setLong(3, batchId);
            ps.setObject(4, createdAt);
            ps.setInt(5, rowNos.get(0)); // the SELECT's ORDER BY row_no
            ps.setInt(6, rowNos.get(rowNos.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long target = rs.getLong(2);
                    Long targetId = rs.wasNull() ? null : target;
                    long pre = rs.getLong(5);
                    Long preVersion = rs.wasNull() ? null : pre;
                    out.add(new ClaimedItem(rs.getInt(1), targetId, Json.map(rs.getString(3)), rs.getInt(4), preVersion,
                            rs.getString(6)));
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(ClaimedItem::rowNo));
        return new Claimed(out, fresh);
    }

    /** The lowest and highest row number of a chunk (an index range every plan can use). */
    static int[] range(List<Integer> rowNos) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (Integer r : rowNos) {
            if (r != null) {
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
        }
        return lo > hi ? new int[] {0, -1} : new int[] {lo, hi};
    }

    public void prepare(Connection c, long batchId, OffsetDateTime createdAt, int[] rowNos, long[] versions,
                        String[] befores) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET pre_version = u.v, before_value = u.b::jsonb, updated_at = now()
                FROM unnest(?::int[], ?::bigint[], ?::text[]) AS u(r, v, b)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.row_no = u.r AND i.row_no BETWEEN ? AND ?""")) {
            ps.setArray(1, c.createArrayOf("int4", box(rowNos)));
            ps.setArray(2, c.createArrayOf("int8", box(versions)));
            ps.setArray(3, c.createArrayOf("text", befores));
            ps.setLong(4, batchId);
            ps.setObject(5, createdAt);
            int[] range = range(java.util.Arrays.stream(rowNos).boxed().toList());
            ps.setInt(6, range[0]);
            ps.setInt(7, range[1]);
            ps.executeUpdate();
        }
    }

    /**
     * Writes the outcomes of a chunk in one statement. A retry goes back to pending with a
     * backoff (lease) unless its attempts are used up; an awaiting item stays processing with
     * no lease end, so only its completing event finishes it.
     */
    public Recorded record(Connection c, long batchId, OffsetDateTime createdAt, List<ItemOutcome> outcomes,
                           int maxAttempts, java.util.Map<Integer, Integer> heldAttempts) throws SQLException {
        int n = outcomes.size();
        Integer[] held = new Integer[n];
        Integer[] rows = new Integer[n];
        String[] kinds = new String[n];
        Long[] targets = new Long[n];
        String[] befores = new String[n];
        String[] afters = new String[n];
        String[] codes = new String[n];
        String[] fields = new String[n];
        String[] messages = new String[n];
        for (int k = 0; k < n; k++) {
            ItemOutcome o = outcomes.get(k);
            rows[k] = o.rowNo();
            kinds[k] = o.kind().name().toLowerCase();
            targets[k] = o.targetId();
            befores[k] = o.beforeJson();
            afters[k] = o.afterJson();
            codes[k] = o.errorCode();
            fields[k] = o.errorField();
            messages[k] = o.errorMessage();
            held[k] = heldAttempts.get(o.rowNo());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET
                    status = CASE u.kind WHEN 'succeeded' THEN 'succeeded' WHEN 'failed' THEN 'failed'
                                         WHEN 'awaiting' THEN 'processing'
                                         ELSE CASE WHEN i.attempts >= ? THEN 'failed' ELSE 'pending' END END,
                    lease_until = CASE u.kind WHEN 'awaiting' THEN 'infinity'::timestamptz
                                              WHEN 'retry' THEN now() + make_interval(secs => i.attempts) ELSE NULL END,
                    target_id = coalesce(u.target, i.target_id),
                    before_value = coalesce(u.before::jsonb, i.before_value),
                    after_value = coalesce(u.after::jsonb, i.after_value),
                    error_code = u.code, error_field = u.field, error_message = u.message, updated_at = now()
                FROM unnest(?::int[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
                     AS u(r, kind, target, before, after, code, field, message, held)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.row_no = u.r AND i.row_no BETWEEN ? AND ?
                  AND i.status = 'processing' AND i.attempts = u.held
                RETURNING i.status""")) {
            ps.setInt(1, maxAttempts);
            ps.setArray(2, c.createArrayOf("int4", rows));
            ps.setArray(3, c.createArrayOf("text", kinds));
            ps.setArray(4, c.createArrayOf("int8", targets));
            ps.setArray(5, c.createArrayOf("text", befores));
            ps.setArray(6, c.createArrayOf("text", afters));
            ps.setArray(7, c.createArrayOf("text", codes));
            ps.setArray(8, c.createArrayOf("text", fields));
            ps.setArray(9, c.createArrayOf("text", messages));
            ps.setArray(10, c.createArrayOf("int4", held));
            ps.setLong(11, batchId);
            ps.setObject(12, createdAt);
            int[] range = range(java.util.Arrays.asList(rows));
            ps.setInt(13, range[0]);
            ps.setInt(14, range[1]);
            int ok = 0, failed = 0, released = 0, awaiting = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "succeeded" -> ok++;
                        case "failed" -> failed++;
                        case "pending" -> released++;
                        default -> awaiting++;
                    }
                }
            }
            return new Recorded(ok, failed, released, awaiting);
        }
    }

    /**
     * What a chunk's record changed. Rows whose claim was lost meanwhile (the call outlasted the
     * lease and another loop or replica claimed them again: their attempts moved on) are left to
     * that claim and not counted.
     */
    public record Recorded(int succeeded, int failed, int released, int awaiting) {
        public int total() {
            return succeeded + failed + released + awaiting;
        }
    }

    /**
     * A chunk's items put back after an outage of the owning service: pending again once the
     * pause is over, the attempt not counted (the row itself is not at fault). Their recorded
     * version stays: the refused call may still have been applied (DEADLINE_EXCEEDED).
     */
    public int release(Connection c, long batchId, OffsetDateTime createdAt, List<Integer> rowNos, List<Integer> heldAttempts,
                       long pauseMillis, String code, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item i SET status = 'pending', attempts = greatest(0, i.attempts - 1),
                       lease_until = now() + make_interval(secs => ?), error_code = ?, error_message = ?, updated_at = now()
                FROM unnest(?::int[], ?::int[]) AS u(r, held)
                WHERE i.batch_id = ? AND i.created_at = ? AND i.row_no = u.r AND i.row_no BETWEEN ? AND ?
                  AND i.status = 'processing' AND i.attempts = u.held""")) {
            ps.setDouble(1, pauseMillis / 1000.0);
            ps.setString(2, code);
            ps.setString(3, message);
            ps.setArray(4, c.createArrayOf("int4", rowNos.toArray()));
            ps.setArray(5, c.createArrayOf("int4", heldAttempts.toArray()));
            ps.setLong(6, batchId);
            ps.setObject(7, createdAt);
            int[] range = range(rowNos);
            ps.setInt(8, range[0]);
            ps.setInt(9, range[1]);
            return ps.executeUpdate();
        }
    }

    /** The error codes of rows failed because an outage outlasted its budget (their outcome may be unknown). */
    public static final List<String> OUTAGE_CODES = List.of("UPSTREAM_UNAVAILABLE", "UPSTREAM_DEADLINE_EXCEEDED",
            "UPSTREAM_RESOURCE_EXHAUSTED");

    /**
     * Failed items become pending again with fresh attempts: only those an outage failed
     * ({@code outageOnly}), or every failed one but those rejected in audit (a decision, not a
     * fault; the row needs a fixed file). Rows failed by an outage keep their recorded version
     * (the last call may have been applied); a definite failure forgets it. Returns how many.
     */
    public int reopenFailed(Connection c, long batchId, OffsetDateTime createdAt, boolean outageOnly) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_item SET status = 'pending', attempts = 0, lease_until = NULL,
                       pre_version = CASE WHEN error_code = ANY (?) THEN pre_version END,
                       error_code = NULL, error_field = NULL, error_message = NULL, updated_at = now()
                WHERE batch_id = ? AND created_at = ? AND status = 'failed'
                  AND coalesce(error_code, '') <> 'REJECTED' AND (NOT ? OR error_code = ANY (?))""")) {
            java.sql.Array codes = c.createArrayOf("text", OUTAGE_CODES.toArray());
            ps.setArray(1, codes);
            ps.setLong(2, batchId);
            ps.setObject(3, createdAt);
            ps.setBoolean(4, outageOnly);
            ps.setArray(5, codes);
            return ps.executeUpdate();
        }
    }

    /** Counts per status of one batch. */
    public java.util.Map<String, Integer> counts(Connection c, long batchId, OffsetDateTime createdAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT status, count(*) FROM operation_batch_item WHERE batch_id = ? AND created_at = ? GROUP BY status""")) {
            ps.setLong(1, batchId);
            ps.setObject(2, createdAt);
            java.util.Map<String, Integer> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        }
    }

    /** Whether any item may still be claimed or is still running. */
    public boolean open(Connection c, long batchId, OffsetDateTime createdAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM operation_batch_item WHERE batch_id = ? AND created_at = ?
                                 AND status IN ('pending', 'processing', 'validating'))""")) {
            ps.setLong(1, batchId);
            ps.setObject(2, createdAt);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Items in row order, optionally of some statuses, a page at a time (offset/limit) or all (limit < 0). */
    public void scan(long batchId, OffsetDateTime createdAt, List<String> statuses, int offset, int limit,
                     Consumer<StoredItem> each) {
        String sql = """
                SELECT row_no, target_type, target_id, status, payload::text, row_data::text, before_value::text,
                       after_value::text, error_code, error_field, error_message, attempts
                FROM operation_batch_item WHERE batch_id = ? AND created_at = ?"""
                + (statuses.isEmpty() ? "" : " AND status = ANY (?)") + " ORDER BY row_no"
                + (limit >= 0 ? " OFFSET " + offset + " LIMIT " + limit : "");
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            // a cursor (fetch size) needs a transaction: the result file of 1,000,000 rows is streamed
            if (auto) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(2000);
                ps.setLong(1, batchId);
                ps.setObject(2, createdAt);
                if (!statuses.isEmpty()) {
                    Array a = c.createArrayOf("text", statuses.toArray());
                    ps.setArray(3, a);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long t = rs.getLong(3);
                        Long target = rs.wasNull() ? null : t;
                        each.accept(new StoredItem(rs.getInt(1), rs.getString(2), target, rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getString(10), rs.getString(11), rs.getInt(12)));
                    }
                }
            } finally {
                if (auto) {
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read batch items", e);
        }
    }

    public long count(long batchId, OffsetDateTime createdAt, List<String> statuses) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM operation_batch_item WHERE batch_id = ? AND created_at = ?"
                        + (statuses.isEmpty() ? "" : " AND status = ANY (?)"))) {
            ps.setLong(1, batchId);
            ps.setObject(2, createdAt);
            if (!statuses.isEmpty()) {
                ps.setArray(3, c.createArrayOf("text", statuses.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Integer[] box(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k];
        }
        return out;
    }

    private static Long[] box(long[] a) {
        Long[] out = new Long[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k];
        }
        return out;
    }

}
