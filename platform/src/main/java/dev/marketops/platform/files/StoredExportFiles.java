package dev.marketops.platform.files;

import dev.marketops.platform.problem.ApiProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongFunction;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Finished export files kept in PostgreSQL beside their job rows, so that any replica serves a
 * download (the product list's and the product history's exports): a job table with
 * {@code status, rows_written, file_bytes, finished_at, error} and a file table
 * {@code (<id column> PK REFERENCES the job ON DELETE CASCADE, content BYTEA, bytes BIGINT)}.
 * The names are the services' own constants, never input.
 */
public final class StoredExportFiles {

    private static final Logger LOG = Logger.getLogger(StoredExportFiles.class);

    private final DataSource ds;
    private final String jobTable;
    private final String jobId;
    private final String fileTable;
    private final String fileId;
    private final LongFunction<ApiProblem> notFound;

    public StoredExportFiles(DataSource ds, String jobTable, String jobId, String fileTable, String fileId,
                             LongFunction<ApiProblem> notFound) {
        this.ds = ds;
        this.jobTable = jobTable;
        this.jobId = jobId;
        this.fileTable = fileTable;
        this.fileId = fileId;
        this.notFound = notFound;
    }

    /**
     * Stores {@code file} and marks job {@code id} DONE with {@code rows} in one transaction, so a
     * DONE job always has its file; streamed from disk (a rerun of a stale job replaces it). Answers its size.
     */
    public long finish(long id, long rows, Path file) throws IOException, SQLException {
        long bytes = Files.size(file);
        try (Connection c = ds.getConnection(); InputStream in = Files.newInputStream(file)) {
            c.setAutoCommit(false);
            try (PreparedStatement put = c.prepareStatement("INSERT INTO " + fileTable + " (" + fileId + ", content, bytes) VALUES (?, ?, ?) "
                    + "ON CONFLICT (" + fileId + ") DO UPDATE SET content = EXCLUDED.content, bytes = EXCLUDED.bytes");
                 PreparedStatement done = c.prepareStatement("UPDATE " + jobTable + " SET status = 'DONE', rows_written = ?, file_bytes = ?, "
                         + "finished_at = now(), error = NULL WHERE " + jobId + " = ?")) {
                put.setLong(1, id);
                put.setBinaryStream(2, in, bytes);
                put.setLong(3, bytes);
                put.executeUpdate();
                done.setLong(1, rows);
                done.setLong(2, bytes);
                done.setLong(3, id);
                done.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return bytes;
    }

    /** A finished job's stored file, {@code bytes} long. */
    public record Ready(long id, long bytes) {
    }

    /**
     * Job {@code id}'s file when the job is DONE: the service's not-found problem when there is no
     * such job of {@code requestedBy} (null: anyone's), it was purged, or it finished before files
     * were kept in the database; 409 {@code EXPORT_NOT_READY} (with its status) while it is not DONE.
     */
    public Ready ready(long id, Long requestedBy) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT j.status, f.bytes FROM " + jobTable
                + " j LEFT JOIN " + fileTable + " f ON f." + fileId + " = j." + jobId + " WHERE j." + jobId + " = ?"
                + (requestedBy == null ? "" : " AND j.requested_by = ?"))) {
            ps.setLong(1, id);
            if (requestedBy != null) {
                ps.setLong(2, requestedBy);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound.apply(id);
                }
                String status = rs.getString(1);
                if (!"DONE".equals(status)) {
                    throw ApiProblem.conflict("EXPORT_NOT_READY", "export " + id + " is " + status + ", not DONE").with("status", status);
                }
                long bytes = rs.getLong(2);
                if (rs.wasNull()) {
                    throw notFound.apply(id);
                }
                return new Ready(id, bytes);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + jobTable + " " + id + " failed", e);
        }
    }

    /** Streams job {@code id}'s stored file to {@code out}; the service's not-found problem if it was purged meanwhile. */
    public void copy(long id, OutputStream out) throws IOException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content FROM " + fileTable + " WHERE " + fileId + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound.apply(id);
                }
                try (InputStream in = rs.getBinaryStream(1)) {
                    in.transferTo(out);
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading the file of " + jobTable + " " + id + " failed", e);
        }
    }

    /** Deletes the finished jobs (and with them their files) older than {@code retention}; answers how many. */
    public int purge(Duration retention) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + jobTable + " WHERE status IN ('DONE', 'FAILED') AND finished_at < now() - ?::interval")) {
            ps.setString(1, retention.toMillis() + " milliseconds");
            int deleted = ps.executeUpdate();
            LOG.infof("%s: purged %d jobs finished more than %s ago", jobTable, deleted, retention);
            return deleted;
        } catch (SQLException e) {
            throw new IllegalStateException("purge of " + jobTable + " failed", e);
        }
    }

    /** A runner's temporary file, removed once stored (or failed); a leftover is only logged. */
    public static void deleteTemp(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.warnf(e, "temporary export file %s not deleted", tmp);
        }
    }
}
