package dev.marketops.maintenance.lifecycle;

import static dev.marketops.maintenance.lifecycle.PartitionLifecycle.ident;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;

/**
 * The optional file copy of an archived month (marketops.lifecycle.archive-export.dir): the
 * partition's rows as CSV with a header row, gzip'd, streamed by PostgreSQL's COPY (no row passes
 * through the heap), to {@code <dir>/<schema>/<table>/<partition>.csv.gz}. Written to a temporary
 * file and moved into place, so a file under its final name is always complete.
 */
@ApplicationScoped
public class PartitionExport {

    /** Where the file went, its size and its rows. */
    public record Exported(Path path, long bytes, long rows) {
    }

    @ConfigProperty(name = "marketops.lifecycle.archive-export.dir")
    Optional<String> dir;

    public boolean enabled() {
        return dir.isPresent() && !dir.get().isBlank();
    }

    /** Exports {@code schema.table} (a partition, attached or archived) as the file of {@code partition}. */
    public Exported export(Connection c, String schema, String table, String ofSchema, String ofTable, String partition)
            throws SQLException {
        Path target = Path.of(dir.orElseThrow()).toAbsolutePath().resolve(ofSchema).resolve(ofTable).resolve(partition + ".csv.gz");
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), partition + ".", ".part");
            long rows;
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(
                        "COPY (SELECT * FROM " + ident(schema) + "." + ident(table) + ") TO STDOUT WITH (FORMAT csv, HEADER)", out);
            } catch (IOException | SQLException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Exported(target, Files.size(target), rows);
        } catch (IOException e) {
            throw new IllegalStateException("could not export " + schema + "." + table + " to " + target, e);
        }
    }
}
