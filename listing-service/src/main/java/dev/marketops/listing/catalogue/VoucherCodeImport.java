package dev.marketops.listing.catalogue;

import dev.marketops.platform.outbox.Outbox;
import dev.marketops.proto.catalog.RejectedCode;
import dev.marketops.proto.catalog.VoucherCode;
import dev.marketops.proto.catalog.VoucherCodeChunk;
import dev.marketops.proto.catalog.VoucherImportReply;
import dev.marketops.proto.events.InventoryChangedEvent;
import dev.marketops.proto.events.SkuStockChange;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * ImportVoucherCodes (main seed 4.4): the client streams chunks of codes; each chunk goes into
 * a staging table with one multi-row insert as it arrives (memory stays flat for a million
 * codes), then one query finds the codes repeated in the file or already in the pool and one
 * INSERT ... SELECT DISTINCT ... ON CONFLICT DO NOTHING moves the rest into the pool. The SKU's
 * stock becomes the pool size, with one inventory.changed event. A dry run reports the same
 * and keeps nothing.
 */
@ApplicationScoped
public class VoucherCodeImport {

    private static final Logger LOG = Logger.getLogger(VoucherCodeImport.class);
    /** At most this many rejected codes are listed in the reply (all are counted), to stay within gRPC message limits. */
    public static final int MAX_LISTED = 20_000;
    public static final int MAX_CODE = 128;

    @Inject
    AgroalDataSource ds;
    @Inject
    Outbox outbox;
    @Inject
    dev.marketops.listing.catalogue.history.ProductHistory history;

    /** One import in flight. */
    final class Import {
        final String id = UUID.randomUUID().toString();
        boolean started;
        long itemId;
        long skuId;
        long batchId;
        boolean dryRun;
        String errorCode;
        String errorMessage;
        long received;
        long staged;
        long rejectedCount;
        /** A merchant's shop the import is confined to (null: every shop); captured when the call starts. */
        Long shopScope;
        final List<RejectedCode> rejected = new ArrayList<>();

        void accept(VoucherCodeChunk chunk) {
            if (!started) {
                started = true;
                itemId = chunk.getItemId();
                skuId = chunk.getSkuId();
                batchId = chunk.getBatchId();
                dryRun = chunk.getDryRun();
                resolveTarget(this);
            }
            received += chunk.getCodesCount();
            if (errorCode != null || chunk.getCodesCount() == 0) {
                return;
            }
            List<Integer> rows = new ArrayList<>(chunk.getCodesCount());
            List<String> codes = new ArrayList<>(chunk.getCodesCount());
            List<String> expires = new ArrayList<>(chunk.getCodesCount());
            for (VoucherCode v : chunk.getCodesList()) {
                String code = v.getCode().trim();
                String problem = code.isEmpty() ? "the code is empty"
                        : code.length() > MAX_CODE ? "the code is longer than " + MAX_CODE + " characters"
                        : code.chars().anyMatch(Character::isWhitespace) ? "the code contains spaces" : null;
                if (problem == null && !v.getExpiresOn().isEmpty()) {
                    try {
                        LocalDate.parse(v.getExpiresOn());
                    } catch (DateTimeParseException e) {
                        problem = "expires_on must be an ISO date, e.g. 2027-12-31";
                    }
                }
                if (problem != null) {
                    reject(v.getRow(), v.getCode(), "INVALID_FORMAT", problem);
                    continue;
                }
                rows.add(v.getRow());
                codes.add(code);
                expires.add(v.getExpiresOn().isEmpty() ? null : v.getExpiresOn());
            }
            if (!rows.isEmpty()) {
                stage(this, rows, codes, expires);
                staged += rows.size();
            }
        }

        void reject(int row, String code, String errorCode, String message) {
            rejectedCount++;
            if (rejected.size() < MAX_LISTED) {
                rejected.add(RejectedCode.newBuilder().setRow(row).setCode(code).setErrorCode(errorCode).setErrorMessage(message).build());
            }
        }
    }

    /** {@code shopScope}: a merchant's shop (null: every shop); another shop's item is NOT_FOUND, like an unknown one. */
    public Uni<VoucherImportReply> importCodes(Multi<VoucherCodeChunk> chunks, Long shopScope) {
        Import imp = new Import();
        imp.shopScope = shopScope;
        return chunks.emitOn(Infrastructure.getDefaultWorkerPool())
                .onItem().invoke(imp::accept)
                .collect().last()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transform(last -> finish(imp))
                .onTermination().invoke(() -> cleanup(imp));
    }

    private void resolveTarget(Import imp) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT i.inventory_model, i.status, s.sku_id FROM item i LEFT JOIN sku s ON s.item_id = i.item_id AND s.status <> 'deleted'
                WHERE i.item_id = ?""" + Sql.IN_SCOPE + " ORDER BY s.sku_id")) {
            ps.setLong(1, imp.itemId);
            Sql.scope(ps, 2, imp.shopScope);
            List<Long> skus = new ArrayList<>();
            String model = null;
            String status = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    model = rs.getString(1);
                    status = rs.getString(2);
                    long sku = rs.getLong(3);
                    if (!rs.wasNull()) {
                        skus.add(sku);
                    }
                }
            }
            if (model == null) {
                refuse(imp, "NOT_FOUND", "no item " + imp.itemId);
            } else if ("deleted".equals(status)) {
                refuse(imp, "ILLEGAL_STATUS", "item " + imp.itemId + " is deleted");
            } else if (!"code_pool".equals(model)) {
                refuse(imp, "NOT_CODE_POOL", "item " + imp.itemId + " keeps " + model + " stock, not a voucher code pool");
            } else if (imp.skuId == 0 && skus.size() != 1) {
                refuse(imp, "INVALID_FIELD", "item " + imp.itemId + " has " + skus.size() + " SKUs; name sku_id");
            } else if (imp.skuId != 0 && !skus.contains(imp.skuId)) {
                refuse(imp, "NOT_FOUND", "no SKU " + imp.skuId + " of item " + imp.itemId);
            } else if (imp.skuId == 0) {
                imp.skuId = skus.get(0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the import target failed", e);
        }
    }

    private static void refuse(Import imp, String code, String message) {
        imp.errorCode = code;
        imp.errorMessage = message;
    }

    /** COPY is the fastest way in for a million rows; codes hold no whitespace (checked), backslashes are escaped. */
    private void stage(Import imp, List<Integer> rows, List<String> codes, List<String> expires) {
        StringBuilder text = new StringBuilder(rows.size() * 48);
        for (int i = 0; i < rows.size(); i++) {
            text.append(imp.id).append('\t').append(rows.get(i)).append('\t').append(codes.get(i).replace("\\", "\\\\"))
                    .append('\t').append(expires.get(i) == null ? "\\N" : expires.get(i)).append('\n');
        }
        try (Connection c = ds.getConnection()) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY voucher_import_staging (import_id, row_no, code, expires_on) FROM STDIN", new StringReader(text.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("staging voucher codes failed", e);
        }
    }

    private VoucherImportReply finish(Import imp) {
        VoucherImportReply.Builder reply = VoucherImportReply.newBuilder().setReceived(imp.received);
        if (!imp.started) {
            return reply.setErrorCode("MISSING_FIELD").setErrorMessage("the stream was empty: the first message names the item").build();
        }
        if (imp.errorCode != null) {
            return reply.setErrorCode(imp.errorCode).setErrorMessage(imp.errorMessage).build();
        }
        return QuarkusTransaction.requiringNew().timeout(300).call(() -> {
            try (Connection c = ds.getConnection()) {
                // Pool rows of this SKU are locked for the import's duration (concurrent imports of one SKU queue up).
                long t0 = System.nanoTime();
                long oldPool = poolSize(c, imp.skuId, true);
                long duplicates = 0;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT x.row_no, x.code, x.rn > 1 FROM (
                            SELECT row_no, code, row_number() OVER (PARTITION BY code ORDER BY row_no) AS rn
                            FROM voucher_import_staging WHERE import_id = ?) x
                        WHERE x.rn > 1 OR EXISTS (SELECT 1 FROM voucher_code v WHERE v.sku_id = ? AND v.code = x.code
                                                    AND (?::bigint = 0 OR v.batch_id IS DISTINCT FROM ?::bigint))
                        ORDER BY x.row_no""")) {
                    // A code this same batch stored before (a chunk replayed after a crash) is not a
                    // duplicate: it is this import's own, already done.
                    ps.setFetchSize(5000);
                    ps.setString(1, imp.id);
                    ps.setLong(2, imp.skuId);
                    ps.setLong(3, imp.batchId);
                    ps.setLong(4, imp.batchId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            duplicates++;
                            boolean inFile = rs.getBoolean(3);
                            imp.reject(rs.getInt(1), rs.getString(2), inFile ? "DUPLICATE_IN_FILE" : "DUPLICATE_IN_POOL",
                                    inFile ? "the code appears earlier in the file" : "the code is already in the pool");
                        }
                    }
                }
                long t1 = System.nanoTime();
                long imported;
                if (imp.dryRun) {
                    imported = imp.staged - duplicates;
                } else {
                    imported = Sql.update(c, """
                            INSERT INTO voucher_code (sku_id, code, expires_on, batch_id)
                            SELECT ?::bigint, s.code, s.expires_on, ?::bigint FROM (
                                SELECT DISTINCT ON (code) code, expires_on FROM voucher_import_staging WHERE import_id = ?
                                ORDER BY code, row_no) s
                            ON CONFLICT (sku_id, code) DO NOTHING""", imp.skuId, imp.batchId == 0 ? null : imp.batchId, imp.id);
                }
                long t2 = System.nanoTime();
                // The SKU is locked since the count above and every inserted code is available: no
                // second count (on a pool of a million codes each count reads the whole pool).
                long pool = oldPool + imported;
                LOG.infof("voucher import %s: %d codes staged, duplicates found in %d ms, %d imported in %d ms", imp.id, imp.staged,
                        (t1 - t0) / 1_000_000, imported, (t2 - t1) / 1_000_000);
                if (!imp.dryRun && imported > 0) {
                    announce(c, imp, oldPool, pool);
                }
                imp.rejected.sort(java.util.Comparator.comparingInt(RejectedCode::getRow));
                return reply.setImported(imported).setRejectedTotal(imp.rejectedCount).addAllRejected(imp.rejected)
                        .setPoolSize(pool).build();
            }
        });
    }

    private static long poolSize(Connection c, long skuId, boolean lock) throws SQLException {
        if (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sku WHERE sku_id = ? FOR UPDATE")) {
                ps.setLong(1, skuId);
                ps.executeQuery().close();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM voucher_code WHERE sku_id = ? AND status = 'available'")) {
            ps.setLong(1, skuId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void announce(Connection c, Import imp, long oldPool, long pool) throws SQLException {
        dev.marketops.listing.catalogue.history.ProductHistory.Capture captured = history.capture(c, java.util.List.of(imp.itemId));
        Sql.update(c, "UPDATE sku SET stock = ?, updated_at = now() WHERE sku_id = ?", pool, imp.skuId);
        captured.record(c, dev.marketops.listing.catalogue.history.ChangeType.STOCK, dev.marketops.listing.catalogue.history.ChangeCause
                .batch(imp.batchId, "voucher code import", 0), java.util.Map.of());
        long version;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE item SET version = version + 1, updated_at = now() WHERE item_id = ? RETURNING version")) {
            ps.setLong(1, imp.itemId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
        }
        InventoryChangedEvent e = InventoryChangedEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setTimestamp(System.currentTimeMillis()).setItemId(imp.itemId).setItemVersion(version)
                .addSkus(SkuStockChange.newBuilder().setSkuId(imp.skuId).setOldStock(oldPool).setNewStock(pool))
                .setBatchId(imp.batchId).setReason("voucher code import").build();
        outbox.enqueue(CatalogueTopics.INVENTORY_CHANGED, Long.toString(imp.itemId), "inventory_changed", e.getEventId(), e);
    }

    private void cleanup(Import imp) {
        if (imp.staged == 0) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            Sql.update(c, "DELETE FROM voucher_import_staging WHERE import_id = ?", imp.id);
        } catch (SQLException e) {
            LOG.warnf("could not empty the staging rows of voucher import %s: %s", imp.id, e.getMessage());
        }
    }
}
