package dev.marketops.e2e.bench;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The physical floor of a batch row, timed on the same machine in the same run as the batch
 * itself: the same rows COPYed into a scratch table, then the one set-based statement the
 * operation needs applied to listing-service's real tables (their indexes, foreign keys and
 * bloat included), in a transaction that is rolled back so the fleet's data stays as the batch
 * left it. The floor leaves out only the commit's WAL flush (one fsync), the file's parsing,
 * events, search and the result file: it is what the database alone would take.
 */
final class Floor {

    private final String jdbc;

    Floor(String jdbc) {
        this.jdbc = jdbc;
    }

    /** price_adjust: the file's rows, then one UPDATE of the items' SKU prices by percent. */
    double prices(Path csv) throws Exception {
        return timed("CREATE TEMP TABLE floor_rows (item_id bigint, mode text, value numeric) ON COMMIT DROP", csv,
                "UPDATE listing.sku s SET sale_price_cents = round(s.sale_price_cents * (100 + f.value) / 100), updated_at = now()"
                        + " FROM floor_rows f WHERE s.item_id = f.item_id");
    }

    /** inventory_update: the file's rows, then one UPDATE of the SKUs' stock. */
    double stock(Path csv) throws Exception {
        return timed("CREATE TEMP TABLE floor_rows (item_id bigint, mode text, quantity bigint) ON COMMIT DROP", csv,
                "UPDATE listing.sku s SET stock = f.quantity, updated_at = now() FROM floor_rows f WHERE s.item_id = f.item_id");
    }

    /**
     * voucher_code_import: the file's codes, then one INSERT into the item's code pool (prefixed, so
     * they are new codes beside the ones the batch just stored and each is checked against the
     * unique index, not skipped as a conflict).
     */
    double vouchers(Path csv, long itemId) throws Exception {
        return timed("CREATE TEMP TABLE floor_rows (code text) ON COMMIT DROP", csv,
                "INSERT INTO listing.voucher_code (sku_id, code, batch_id) SELECT (SELECT min(sku_id) FROM listing.sku WHERE item_id = "
                        + itemId + "), 'F' || code, 0 FROM floor_rows ON CONFLICT DO NOTHING");
    }

    /**
     * listing_upload to ONLINE: the rows (category, title, item data), then the three INSERTs the
     * sheet finally becomes: its listing tasks, their catalogue items and one SKU each.
     */
    double listings(Path csv) throws Exception {
        return timed("CREATE TEMP TABLE floor_rows (n int, category_id bigint, title text, item_data jsonb) ON COMMIT DROP", csv,
                "INSERT INTO listing.listing_task (task_id, task_code, task_type, category_id, item_id, title, status, source_type,"
                        + " source_user_type, item_data) SELECT 9000000000000000000 + n, 'FLOOR-' || n, 'batch_import', category_id,"
                        + " 9100000000000000000 + n, title, 20, 'excel_import', 'operator', item_data FROM floor_rows",
                "INSERT INTO listing.item (item_id, task_id, category_id, shop_id, title, status, source_type, inventory_model, price_model)"
                        + " SELECT 9100000000000000000 + n, 9000000000000000000 + n, category_id, 1001, title, 'online', 'excel_import',"
                        + " 'stock', 'fixed' FROM floor_rows",
                "INSERT INTO listing.sku (sku_id, item_id, sku_code, name, sale_price_cents, stock) SELECT 9200000000000000000 + n,"
                        + " 9100000000000000000 + n, 'default', title, 100, 100 FROM floor_rows");
    }

    /** Seconds from the scratch table's creation to the last statement's end, rolled back. */
    private double timed(String scratch, Path csv, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute(scratch);
                try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY floor_rows FROM STDIN (FORMAT csv, HEADER true)", r);
                }
                s.execute("ANALYZE floor_rows");
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            c.rollback();
            return seconds;
        }
    }
}
