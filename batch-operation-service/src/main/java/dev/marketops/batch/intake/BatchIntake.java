package dev.marketops.batch.intake;

import dev.marketops.batch.Json;
import dev.marketops.batch.WireEnums;
import dev.marketops.batch.batch.OperationType;
import dev.marketops.batch.item.BatchItems;
import dev.marketops.batch.item.ItemStatus;
import dev.marketops.batch.metrics.BatchStages;
import dev.marketops.batch.worker.BatchCompletion;
import dev.marketops.batch.worker.BatchParams;
import dev.marketops.batch.worker.BatchRunner;
import dev.marketops.batch.worker.BatchWorker;
import dev.marketops.batch.worker.BatchWorkers;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.outbox.Outbox;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.batch.worker.BatchActor;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.events.OperationBatchCreatedEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates batches: checks the upload (type, size, signature, same file twice), stores the
 * file, reads every row into items (COPY), applies the error policy and announces the batch
 * on operation.batch.created, all in one transaction. A listing upload is announced on
 * listing.batch.created instead and read by the ExcelParseWorker.
 */
@ApplicationScoped
public class BatchIntake {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(BatchIntake.class);

    public static final String TOPIC_CREATED = "operation.batch.created";
    public static final String TOPIC_LISTING_CREATED = "listing.batch.created";

    public enum ErrorPolicy { IGNORE_FAILED, REJECT_FAILED_ROWS, REJECT_EVERYTHING }

    /**
     * A batch to create. {@code actor} is the creator from the token (user, role, merchant shop,
     * IP, user agent): stored with the batch, and every chunk later runs as that actor.
     * {@code confirm}: the caller confirmed a filter-defined batch above {@code marketops.batch.confirm-above} rows.
     */
    public record Upload(OperationType type, Map<String, Object> params, ErrorPolicy policy, boolean dryRun,
                         boolean force, String fileName, Path file, Actor actor, Long undoOf, boolean confirm) {
        public long userId() {
            return actor.userId();
        }
    }

    public record Created(long batchId, String batchCode, String status, int totalCount, int validCount, int invalidCount,
                          List<Map<String, Object>> errors, Long duplicateOf) {
    }

    @Inject
    AgroalDataSource ds;
    @Inject
    BatchItems items;
    @Inject
    BatchWorkers workers;
    @Inject
    FileStore files;
    @Inject
    SnowflakeIds ids;
    @Inject
    Outbox outbox;
    @Inject
    BatchRunner runner;
    @Inject
    dev.marketops.batch.metrics.BatchMetrics batchMetrics;
    @Inject
    BatchStages stages;

    @ConfigProperty(name = "marketops.batch.max-file-bytes", defaultValue = "52428800")
    long maxFileBytes;
    @ConfigProperty(name = "marketops.batch.tx-timeout-seconds", defaultValue = "900")
    int txTimeout;
    /** A batch defined by a filter (no file) with more rows than this needs confirm=true: its size is not visible up front. */
    @ConfigProperty(name = "marketops.batch.confirm-above", defaultValue = "5000")
    int confirmAbove;

    public Created upload(Upload u) throws IOException {
        BatchWorker worker = workers.get(u.type());
        BatchParams params = new BatchParams(u.params());
        worker.checkParams(params, u.actor());
        if (u.file() == null) {
            List<ParsedRow> rows = worker.expand(params, u.actor());
            long selected = worker.selectedCount(params, rows);
            if (selected > confirmAbove && !u.confirm()) {
                throw ApiProblem.conflict("CONFIRM_REQUIRED", "the filter selects " + selected + " rows, more than "
                        + confirmAbove + "; send confirm=true to run the batch on all of them")
                        .with("rowCount", selected).with("confirmAbove", confirmAbove);
            }
            return create(u, worker, null, null, null, null, w -> {
                int n = 0;
                for (ParsedRow r : rows) {
                    w.accept(new BatchItems.NewItem(++n + 1, r.targetType(), r.targetId() == 0 ? null : r.targetId(),
                            r.dedupeKey(), Json.write(r.payload()), null, ItemStatus.PENDING.wire(), null, null, null));
                }
                return new SheetParser.Result(List.of(), n, 0, List.of());
            });
        }
        long size = Files.size(u.file());
        if (size == 0) {
            throw ApiProblem.badRequest("EMPTY_FILE", "the uploaded file is empty (0 bytes)");
        }
        if (size > maxFileBytes) {
            throw ApiProblem.badRequest("FILE_TOO_LARGE", "the file has " + size + " bytes; at most " + maxFileBytes
                    + " are accepted").with("maxBytes", maxFileBytes).with("size", size);
        }
        SheetReader.Format format = SheetReader.formatOf(u.fileName());
        SheetReader.checkSignature(u.file(), format);
        String md5 = md5(u.file());
        Long duplicateOf = null;
        Map<String, Object> earlier = earlierUpload(u.userId(), md5, u.type());
        if (earlier != null && u.undoOf() == null) {
            if (!u.force()) {
                throw ApiProblem.conflict("DUPLICATE_FILE", "you uploaded this file before as batch " + earlier.get("batchCode")
                        + "; upload again with force=true to run it again")
                        .with("duplicateOf", earlier.get("batchId")).with("duplicateOfCode", earlier.get("batchCode"));
            }
            duplicateOf = (Long) earlier.get("batchId");
        }
        String name = u.fileName();
        Long dup = duplicateOf;
        SheetParser.Result[] headerOnly = new SheetParser.Result[1];
        if (worker.type() == OperationType.LISTING_UPLOAD) {
            // Read at once only as far as the header (a wrong sheet is refused now); the rows
            // are read by the ExcelParseWorker.
            headerOnly[0] = checkHeader(worker, params, u.file(), format);
        }
        return create(u, worker, new FileInfo(name, size, md5, format), u.file(), dup, headerOnly[0], sink -> {
            SheetParser parser = new SheetParser(worker, params, worker.maxRows(), sink);
            return parser.parse(u.file(), format);
        });
    }

    private record FileInfo(String name, long size, String md5, SheetReader.Format format) {
    }

    @FunctionalInterface
    private interface Rows {
        SheetParser.Result write(Consumer<BatchItems.NewItem> sink) throws IOException;
    }

    private Created create(Upload u, BatchWorker worker, FileInfo file, Path source, Long duplicateOf,
                           SheetParser.Result deferred, Rows rows) throws IOException {
        long batchId = ids.nextId();
        String code = worker.codePrefix() + "_" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "_" + batchId;
        String key = file == null ? null : files.put(batchId, file.name(), source);
        try {
            return QuarkusTransaction.requiringNew().timeout(txTimeout).call(() -> {
                try (Connection c = ds.getConnection()) {
                    OffsetDateTime createdAt = insertTask(c, batchId, code, u, file, key, duplicateOf);
                    if (deferred != null) {
                        updateHeader(c, batchId, deferred.header());
                        outbox.enqueue(TOPIC_LISTING_CREATED, Long.toString(batchId), "created", UUID.randomUUID().toString(),
                                ListingBatchEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType("created")
                                        .setTimestamp(System.currentTimeMillis()).setBatchId(batchId).build());
                        return new Created(batchId, code, "validating", 0, 0, 0, List.of(), duplicateOf);
                    }
                    return fill(c, batchId, createdAt, code, worker, u.policy(), rows, u);
                }
            });
        } catch (RuntimeException e) {
            if (key != null) {
                files.delete(key);
            }
            throw unwrap(e);
        }
    }

    /** Reads a stored listing upload into items (the ExcelParseWorker's first step); once per batch. */
    public void parseStored(long batchId) {
        QuarkusTransaction.requiringNew().timeout(txTimeout).run(() -> {
            try (Connection c = ds.getConnection()) {
                Map<String, Object> t = task(c, batchId);
                if (t == null || !"validating".equals(t.get("status"))) {
                    return;
                }
                BatchWorker worker = workers.get((String) t.get("operationType"));
                BatchParams params = new BatchParams(Json.map((String) t.get("params")));
                Path file = files.path((String) t.get("filePath"));
                SheetReader.Format format = SheetReader.Format.valueOf(((String) t.get("format")).toUpperCase());
                Upload u = new Upload(worker.type(), params.values(),
                        WireEnums.parse(ErrorPolicy.class, "errorPolicy", (String) t.get("policy")),
                        (Boolean) t.get("dryRun"), true, null, file, (Actor) t.get("actor"), null, true);
                try {
                    fill(c, batchId, (OffsetDateTime) t.get("createdAt"), (String) t.get("batchCode"), worker, u.policy(),
                            sink -> new SheetParser(worker, params, worker.maxRows(), sink).parse(file, format), u);
                } catch (ApiProblem e) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            UPDATE operation_batch_task SET status = 'failed', error_summary = ?, progress = 100,
                                   finished_at = now(), updated_at = now() WHERE batch_id = ?""")) {
                        ps.setString(1, e.code() + ": " + e.getMessage());
                        ps.setLong(2, batchId);
                        ps.executeUpdate();
                    }
                    BatchCompletion.announce(outbox, c, batchId);
                }
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Created fill(Connection c, long batchId, OffsetDateTime createdAt, String code, BatchWorker worker,
                         ErrorPolicy policy, Rows rows, Upload u) throws SQLException, IOException {
        SheetParser.Result parsed;
        int total;
        long t0 = System.nanoTime();
        try (BatchItems.Writer w = items.writer(c, batchId, createdAt)) {
            parsed = rows.write(w::add);
            total = w.count();
        }
        long t1 = System.nanoTime();
        int duplicates = items.markDuplicates(c, batchId, createdAt, worker.columns().get(0).header());
        long t2 = System.nanoTime();
        String op = WireEnums.wire(worker.type());
        stages.record(batchId, op, BatchStages.Stage.PARSE, t1 - t0);
        stages.record(batchId, op, BatchStages.Stage.VALIDATE, t2 - t1);
        LOG.infof("batch %s: %d rows read and written in %d ms, duplicates marked in %d ms", code, total,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        int invalid = parsed.invalid() + duplicates;
        int skipped = 0;
        String status;
        String summary = null;
        if (invalid > 0 && policy == ErrorPolicy.REJECT_EVERYTHING) {
            skipped = items.skipOpen(c, batchId, createdAt, "REJECTED_WITH_BATCH",
                    "not applied: the error policy reject_everything refuses the batch when any row fails");
            status = "failed";
            summary = invalid + " of " + total + " rows failed validation; nothing was applied (reject_everything)";
        } else if (invalid == total) {
            status = "failed";
            summary = "every row failed validation";
        } else {
            status = "processing";
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_batch_task SET status = ?, total_count = ?, failed_count = ?, validation_failed_count = ?,
                       skipped_count = ?, header_row = ?::jsonb, error_summary = ?, updated_at = now(),
                       progress = CASE WHEN ? = 'failed' THEN 100 ELSE 0 END,
                       finished_at = CASE WHEN ? = 'failed' THEN now() END
                WHERE batch_id = ?""")) {
            ps.setString(1, status);
            ps.setInt(2, total);
            ps.setInt(3, invalid);
            ps.setInt(4, invalid);
            ps.setInt(5, skipped);
            ps.setString(6, Json.write(parsed.header()));
            ps.setString(7, summary);
            ps.setString(8, status);
            ps.setString(9, status);
            ps.setLong(10, batchId);
            ps.executeUpdate();
        }
        batchMetrics.started(WireEnums.wire(worker.type()), status);
        if ("failed".equals(status)) {
            BatchCompletion.announce(outbox, c, batchId);
            stages.finished(batchId, code, status, total);
        }
        if ("processing".equals(status)) {
            Map<String, String> flat = new java.util.HashMap<>();
            u.params().forEach((k, v) -> flat.put(k, String.valueOf(v)));
            outbox.enqueue(TOPIC_CREATED, Long.toString(batchId), "created", UUID.randomUUID().toString(),
                    OperationBatchCreatedEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                            .setTimestamp(System.currentTimeMillis()).setBatchId(batchId).setBatchCode(code)
                            .setOperationType(WireEnums.wire(worker.type())).setTotalCount(total)
                            .putAllOperationParams(flat).setCreatedBy(u.userId()).build());
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (RowError e : parsed.firstErrors()) {
            errors.add(Map.of("row", e.rowNo(), "column", e.column(), "code", e.code(), "message", e.getMessage()));
        }
        if (duplicates > 0 && errors.size() < 100) {
            items.scan(batchId, createdAt, List.of("validation_failed"), 0, 1000, i -> {
                if ("DUPLICATE_IN_FILE".equals(i.errorCode()) && errors.size() < 100) {
                    errors.add(Map.of("row", i.rowNo(), "column", i.errorField(), "code", i.errorCode(),
                            "message", i.errorMessage()));
                }
            });
        }
        return new Created(batchId, code, status, total, total - invalid, invalid, errors, null);
    }

    private SheetParser.Result checkHeader(BatchWorker worker, BatchParams params, Path file, SheetReader.Format format)
            throws IOException {
        List<String>[] header = new List[1];
        SheetParser p = new SheetParser(worker, params, Integer.MAX_VALUE, i -> {
            throw new HeaderRead();
        });
        try {
            p.parse(file, format);
        } catch (HeaderRead e) {
            // the first data row was reached: the header is fine
        }
        header[0] = p.header();
        return new SheetParser.Result(header[0] == null ? List.of() : header[0], 0, 0, List.of());
    }

    private static final class HeaderRead extends RuntimeException {
        HeaderRead() {
            super(null, null, false, false);
        }
    }

    private OffsetDateTime insertTask(Connection c, long batchId, String code, Upload u, FileInfo file, String key,
                                      Long duplicateOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO operation_batch_task (batch_id, batch_code, operation_type, operation_params, category_ids,
                    file_name, file_path, file_size, file_md5, file_format, status, error_policy, dry_run, created_by,
                    undo_of, duplicate_of, created_by_type, created_by_merchant, created_ip, created_user_agent)
                VALUES (?, ?, ?, ?::jsonb, ?::bigint[], ?, ?, ?, ?, ?, 'validating', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING created_at""")) {
            BatchParams p = new BatchParams(u.params());
            ps.setLong(1, batchId);
            ps.setString(2, code);
            ps.setString(3, WireEnums.wire(u.type()));
            ps.setString(4, Json.write(u.params()));
            ps.setArray(5, c.createArrayOf("int8", p.longs("categoryIds").toArray()));
            ps.setString(6, file == null ? null : file.name());
            ps.setString(7, key);
            ps.setObject(8, file == null ? null : file.size());
            ps.setString(9, file == null ? null : file.md5());
            ps.setString(10, file == null ? null : file.format().name().toLowerCase());
            ps.setString(11, WireEnums.wire(u.policy()));
            ps.setBoolean(12, u.dryRun());
            ps.setLong(13, u.userId());
            ps.setObject(14, u.undoOf());
            ps.setObject(15, duplicateOf);
            Actor a = u.actor();
            ps.setString(16, a.type());
            ps.setObject(17, a.isMerchant() ? a.merchantId() : null);
            ps.setString(18, a.ip());
            ps.setString(19, a.userAgent() == null ? null : a.userAgent().substring(0, Math.min(512, a.userAgent().length())));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class);
            }
        }
    }

    private static void updateHeader(Connection c, long batchId, List<String> header) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE operation_batch_task SET header_row = ?::jsonb WHERE batch_id = ?")) {
            ps.setString(1, Json.write(header));
            ps.setLong(2, batchId);
            ps.executeUpdate();
        }
    }

    private Map<String, Object> earlierUpload(long userId, String md5, OperationType type) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT batch_id, batch_code FROM operation_batch_task WHERE created_by = ? AND file_md5 = ? AND operation_type = ?
                ORDER BY created_at DESC LIMIT 1""")) {
            ps.setLong(1, userId);
            ps.setString(2, md5);
            ps.setString(3, WireEnums.wire(type));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Map.of("batchId", rs.getLong(1), "batchCode", rs.getString(2)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> task(Connection c, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT status, operation_type, operation_params::text, file_path, file_format, error_policy, dry_run,
                       created_by, created_at, batch_code, created_by_type, created_by_merchant, created_ip, created_user_agent
                FROM operation_batch_task WHERE batch_id = ? FOR UPDATE""")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> m = new java.util.HashMap<>();
                m.put("status", rs.getString(1));
                m.put("operationType", rs.getString(2));
                m.put("params", rs.getString(3));
                m.put("filePath", rs.getString(4));
                m.put("format", rs.getString(5));
                m.put("policy", rs.getString(6));
                m.put("dryRun", rs.getBoolean(7));
                m.put("createdBy", rs.getLong(8));
                m.put("createdAt", rs.getObject(9, OffsetDateTime.class));
                m.put("batchCode", rs.getString(10));
                m.put("actor", BatchActor.of(rs.getLong(8), rs.getString(11), (Long) rs.getObject(12), rs.getString(13),
                        rs.getString(14)));
                return m;
            }
        }
    }

    static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException unwrap(RuntimeException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ApiProblem p) {
                return p;
            }
            t = t.getCause();
        }
        return e;
    }

    /** Used by undo: a batch from ready rows, without a file. */
    public Created createFromRows(Upload u, List<ParsedRow> rows) throws IOException {
        BatchWorker worker = workers.get(u.type());
        return create(u, worker, null, null, null, null, w -> {
            for (ParsedRow r : rows) {
                w.accept(new BatchItems.NewItem((Integer) r.payload().get("row"), r.targetType(), r.targetId(),
                        r.dedupeKey(), Json.write(r.payload()), null, ItemStatus.PENDING.wire(), null, null, null));
            }
            return new SheetParser.Result(List.of(), rows.size(), 0, List.of());
        });
    }

}
