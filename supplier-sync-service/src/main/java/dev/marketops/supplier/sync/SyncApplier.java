package dev.marketops.supplier.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.platform.security.Roles;
import dev.marketops.proto.catalog.AdjustInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryReply;
import dev.marketops.proto.catalog.AdjustPricesAndInventoryRequest;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.PriceChange;
import dev.marketops.proto.catalog.StockChange;
import dev.marketops.proto.listing.CreateTaskRequest;
import dev.marketops.proto.listing.CreateTaskResult;
import dev.marketops.proto.listing.CreateTasksReply;
import dev.marketops.proto.listing.CreateTasksRequest;
import dev.marketops.proto.listing.GetTasksRequest;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import dev.marketops.proto.listing.ListingQueriesGrpc;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionManyRequest;
import dev.marketops.supplier.adapter.Adapters;
import dev.marketops.supplier.adapter.RecordProblem;
import dev.marketops.supplier.adapter.SupplierAdapter;
import dev.marketops.supplier.adapter.SupplierRecord;
import dev.marketops.supplier.supplier.Supplier;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Applies a page of supplier updates (a gRPC batch, a Kafka poll, a pulled page) to the
 * platform, set-based, in one database transaction:
 * <ol>
 * <li>each record is mapped and validated by the supplier's adapter; its category must be one
 *     the supplier feeds; a refusal is recorded with its reason and does not stop the page;</li>
 * <li>idempotency: one upsert keyed by supplier + external id keeps only a newer supplier version
 *     (within the page the highest wins): a duplicate or older update is ignored, never applied;</li>
 * <li>a new item becomes a listing task (CreateTasks + submit, as the supplier, source
 *     supplier_push / supplier_pull); a known one becomes catalogue commands (AdjustPrices,
 *     AdjustInventory, ChangeStatus), one call each for the whole page, only for what changed;</li>
 * <li>an item whose task is not online yet keeps its newest record and is applied when it is
 *     ({@link #resolvePending}).</li>
 * </ol>
 * A listing-service failure (unavailable, deadline) rolls the whole page back and is thrown:
 * the caller retries it (commands are idempotent: "set" values and request ids).
 */
@ApplicationScoped
public class SyncApplier {

    private static final Logger LOG = Logger.getLogger(SyncApplier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per-item answers that say "not now" rather than "not this record": the page is rolled back and retried. */
    static final Set<String> TRANSIENT = Set.of("CONFIG_UNAVAILABLE", "UNAVAILABLE", "DEADLINE_EXCEEDED", "RATE_LIMITED");

    @Inject
    SyncEvents events;
    @Inject
    AgroalDataSource ds;
    @Inject
    Adapters adapters;
    @Inject
    CategoryDirectory categories;
    @Inject
    MeterRegistry meters;
    @GrpcClient("listing")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("listing")
    ListingQueriesGrpc.ListingQueriesBlockingStub listingQueries;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    /** The supplier system as the platform sees it when it acts (task creator, catalogue operator). */
    public static Actor actorOf(Supplier s, long userId) {
        return new Actor(userId != 0 ? userId : s.userId, Roles.SUPPLIER, Set.of(Roles.SUPPLIER), null, null, "supplier:" + s.code);
    }

    /** Thrown when the platform could not take the page (listing-service unavailable): nothing of the page was kept. */
    public static class PageNotApplied extends RuntimeException {
        public PageNotApplied(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Row(int index, SupplierRecord rec, String recordJson) {
    }

    private record Known(String externalId, Long taskId, Long itemId, String status, JsonNode applied, long lastVersion) {
    }

    /**
     * Where a page stands among the pages of one stream applied side by side: it writes its items
     * only after the page before it has (await), and lets the next one go once its own items are
     * locked (passed), so per item the stream's order holds while the pages' catalogue calls overlap.
     */
    public interface Turn {
        void await();

        void passed();

        Turn NONE = new Turn() {
            @Override
            public void await() {
            }

            @Override
            public void passed() {
            }
        };
    }

    public List<Ack> apply(Supplier s, Channel channel, long userId, List<Incoming> page) {
        return apply(s, channel, userId, page, Turn.NONE);
    }

    /** Applies a page in its turn; {@link Turn#passed()} is called exactly once, whatever becomes of the page. */
    public List<Ack> apply(Supplier s, Channel channel, long userId, List<Incoming> page, Turn turn) {
        OnceTurn once = new OnceTurn(turn);
        try {
            return applyInTurn(s, channel, userId, page, once);
        } finally {
            // a page with nothing to write (all refused or superseded) still keeps the stream's order
            if (!once.passed) {
                once.awaitQuietly();
                once.passed();
            }
        }
    }

    private static final class OnceTurn implements Turn {
        private final Turn turn;
        private volatile boolean passed;

        OnceTurn(Turn turn) {
            this.turn = turn;
        }

        @Override
        public void await() {
            turn.await();
        }

        void awaitQuietly() {
            try {
                turn.await();
            } catch (PageNotApplied e) {
                // the page before never finished (its stream went away): nothing of this one waits on it
            }
        }

        @Override
        public synchronized void passed() {
            if (!passed) {
                passed = true;
                turn.passed();
            }
        }
    }

    private List<Ack> applyInTurn(Supplier s, Channel channel, long userId, List<Incoming> page, Turn turn) {
        int n = page.size();
        Ack[] acks = new Ack[n];
        List<Failure> failures = new ArrayList<>();
        SupplierAdapter adapter = adapters.of(s.adapter);
        Map<String, Row> best = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Incoming in = page.get(i);
            SupplierRecord rec;
            try {
                rec = map(s, adapter, in);
            } catch (RecordProblem p) {
                String ext = in.externalId().isEmpty() ? externalIdOf(in.recordJson()) : in.externalId();
                acks[i] = Ack.rejected(in, ext, p.code(), p.getMessage()).withField(p.field());
                failures.add(new Failure(ext, in.version() < 0 ? null : in.version(), p.code(), p.getMessage(), in.recordJson(),
                        in.messageId(), p.field()));
                continue;
            }
            Row prev = best.get(rec.externalId());
            if (prev != null && prev.rec().version() >= rec.version()) {
                acks[i] = ignored(in, rec, "a newer or equal version came earlier in the same page");
                continue;
            }
            if (prev != null) {
                acks[prev.index()] = ignored(page.get(prev.index()), prev.rec(), "superseded by a newer version in the same page");
            }
            best.put(rec.externalId(), new Row(i, rec, recordJson(rec)));
        }
        int applied = 0;
        if (!best.isEmpty()) {
            long t0 = System.nanoTime();
            applied = applyRows(s, channel, userId, page, new ArrayList<>(best.values()), acks, failures, turn);
            meters.timer("supplier_page_seconds", "channel", channel.wire()).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        int ignored = 0;
        for (Ack a : acks) {
            if (a != null && "ignored".equals(a.outcome())) {
                ignored++;
            }
        }
        Instant newest = best.values().stream().map(r -> r.rec().changedAt()).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        int appliedRows = applied;
        int ignoredRows = ignored;
        QuarkusTransaction.requiringNew().run(() -> { // the state and its event commit together
            recordState(s.code, channel, n, appliedRows, ignoredRows, failures, newest);
            events.pageApplied(s, channel, n, appliedRows, ignoredRows, failures.size(), newest);
        });
        meters.counter("supplier_updates_total", "supplier_id", s.code, "channel", channel.wire(), "outcome", "applied").increment(applied);
        meters.counter("supplier_updates_total", "supplier_id", s.code, "channel", channel.wire(), "outcome", "failed").increment(failures.size());
        return List.of(acks);
    }

    private SupplierRecord map(Supplier s, SupplierAdapter adapter, Incoming in) {
        JsonNode node;
        try {
            node = JSON.readTree(in.recordJson());
        } catch (JsonProcessingException e) {
            throw new RecordProblem("MALFORMED", "record", "the record is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RecordProblem("MALFORMED", "record", "the record must be a JSON object");
        }
        if (node.hasNonNull("supplier") && !s.code.equals(node.get("supplier").asText())) {
            throw new RecordProblem("NOT_YOUR_SUPPLIER", "supplier", "the record names supplier " + node.get("supplier").asText()
                    + "; " + s.code + " may write only its own items");
        }
        SupplierRecord rec = adapters.map(adapter.kind(), node);
        if (!in.externalId().isEmpty() && !in.externalId().equals(rec.externalId())) {
            throw new RecordProblem("MISMATCH", "externalId", "the message names " + in.externalId() + ", its record " + rec.externalId());
        }
        if (in.version() >= 0 && in.version() != rec.version()) {
            throw new RecordProblem("MISMATCH", "version", "the message carries version " + in.version() + ", its record " + rec.version());
        }
        if (!s.categories().contains(rec.categoryId())) {
            boolean known;
            try {
                known = categories.find(rec.categoryId()).isPresent();
            } catch (RuntimeException e) {
                known = true;
            }
            throw known
                    ? new RecordProblem("CATEGORY_NOT_ALLOWED", "categoryId", s.code + " does not feed category " + rec.categoryId()
                            + " (it feeds " + s.categories() + ")")
                    : new RecordProblem("UNKNOWN_CATEGORY", "categoryId", "no category " + rec.categoryId());
        }
        return rec;
    }

    /** The record's own externalId when it has one, so a refused record is found by it; null otherwise. */
    private static String externalIdOf(String recordJson) {
        try {
            JsonNode n = JSON.readTree(recordJson);
            return n != null && n.path("externalId").isTextual() ? n.get("externalId").asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Ack ignored(Incoming in, SupplierRecord rec, String why) {
        return new Ack(in.messageId(), rec.externalId(), true, "ignored", "STALE_VERSION", why, 0, 0);
    }

    private int applyRows(Supplier s, Channel channel, long userId, List<Incoming> page, List<Row> rows, Ack[] acks,
                          List<Failure> failures, Turn turn) {
        Actor actor = actorOf(s, userId);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Known> before;
                turn.await();
                try {
                    before = upsert(c, s.code, rows);
                } finally {
                    // the rows this page writes are locked now: the stream's next page may start (it waits on them)
                    turn.passed();
                }
                List<Row> fresh = new ArrayList<>();
                List<Row> known = new ArrayList<>();
                for (Row r : rows) {
                    Incoming in = page.get(r.index());
                    if (!before.containsKey(r.rec().externalId())) {
                        acks[r.index()] = ignored(in, r.rec(), "version " + r.rec().version()
                                + " is not newer than the one recorded for this item");
                        continue;
                    }
                    Known k = before.get(r.rec().externalId());
                    if (k == null || k.taskId() == null) {
                        fresh.add(r);
                    } else {
                        known.add(r);
                    }
                }
                int applied = create(c, s, channel, actor, page, fresh, acks, failures);
                applied += update(c, s, actor, page, known, before, acks, failures);
                c.commit();
                return applied;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (io.grpc.StatusRuntimeException e) {
            throw new PageNotApplied("listing-service did not take the page: " + e.getStatus(), e);
        } catch (SQLException e) {
            throw new PageNotApplied("the page could not be recorded: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps only newer versions (or a retry of one that failed) and answers, for each row it took,
     * the item as it stands (its task, catalogue item, status and what was applied: columns the
     * upsert does not change), in the same statement: no separate locking read per page. The rows
     * it takes stay locked until the page commits; a concurrent page (another stream, the next
     * group of this one) that writes the same item waits here and then sees this page's result, so
     * a new item gets one listing task however its versions arrive.
     */
    private static Map<String, Known> upsert(Connection c, String supplier, List<Row> rows) throws SQLException {
        int n = rows.size();
        String[] ext = new String[n];
        Long[] cat = new Long[n];
        Long[] ver = new Long[n];
        String[] rec = new String[n];
        Timestamp[] exp = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            SupplierRecord r = rows.get(i).rec();
            ext[i] = r.externalId();
            cat[i] = r.categoryId();
            ver[i] = r.version();
            rec[i] = rows.get(i).recordJson();
            exp[i] = r.expiresAt() == null ? null : Timestamp.from(r.expiresAt());
        }
        Map<String, Known> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO supplier_item (supplier_code, external_id, category_id, last_version, "
                + "status, record, expires_at) SELECT ?, u.ext, u.cat, u.ver, 'new', u.rec::jsonb, u.exp "
                + "FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[]) AS u(ext, cat, ver, rec, exp) "
                + "ON CONFLICT (supplier_code, external_id) DO UPDATE SET last_version = EXCLUDED.last_version, record = EXCLUDED.record, "
                + "expires_at = EXCLUDED.expires_at, last_synced_at = now() "
                + "WHERE supplier_item.last_version < EXCLUDED.last_version "
                + "OR (supplier_item.status IN ('failed', 'new') AND supplier_item.last_version <= EXCLUDED.last_version) "
                + "RETURNING external_id, task_id, item_id, status, applied, last_version")) {
            ps.setString(1, supplier);
            ps.setArray(2, c.createArrayOf("text", ext));
            ps.setArray(3, c.createArrayOf("bigint", cat));
            ps.setArray(4, c.createArrayOf("bigint", ver));
            ps.setArray(5, c.createArrayOf("text", rec));
            ps.setArray(6, c.createArrayOf("timestamptz", exp));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String applied = rs.getString(5);
                    out.put(rs.getString(1), new Known(rs.getString(1), (Long) rs.getObject(2), (Long) rs.getObject(3), rs.getString(4),
                            applied == null ? null : readTree(applied), rs.getLong(6)));
                }
            }
        }
        return out;
    }

    /** New items: one CreateTasks and one submit for the page; the task's item data is the record. */
    private int create(Connection c, Supplier s, Channel channel, Actor actor, List<Incoming> page, List<Row> rows, Ack[] acks,
                       List<Failure> failures) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        CreateTasksRequest.Builder req = CreateTasksRequest.newBuilder().setTaskType("supplier_sync");
        for (Row r : rows) {
            req.addTasks(CreateTaskRequest.newBuilder().setRequestId("supplier:" + s.code + ":" + r.rec().externalId() + ":v" + r.rec().version())
                    .setCategoryId(r.rec().categoryId()).setTitle(r.rec().title()).setSourceType(channel.sourceType)
                    .setSourceUserType("system").setShopId(s.shopId).setItemDataJson(write(r.rec().itemData())));
        }
        CreateTasksReply reply = timed("create_tasks", actor, () -> listing.withDeadlineAfter(30, TimeUnit.SECONDS).createTasks(req.build()));
        for (CreateTaskResult res : reply.getResultsList()) {
            if (TRANSIENT.contains(res.getErrorCode())) {
                // not the record's fault: the whole page is tried again (a pull would otherwise move past it)
                throw new PageNotApplied("listing-service could not take a task now: " + res.getErrorCode() + " "
                        + res.getErrorMessage(), null);
            }
        }
        List<Long> toSubmit = new ArrayList<>();
        List<String> okExt = new ArrayList<>();
        List<Long> okTask = new ArrayList<>();
        List<String> okApplied = new ArrayList<>();
        List<String> badExt = new ArrayList<>();
        List<String> badWhy = new ArrayList<>();
        for (CreateTaskResult res : reply.getResultsList()) {
            Row r = rows.get(res.getIndex());
            Incoming in = page.get(r.index());
            if (res.getTaskId() != 0) {
                // a replayed task may come from an attempt that was rolled back before its submit: submit
                // every one (a task submitted already answers ILLEGAL_TRANSITION for itself, which is fine)
                toSubmit.add(res.getTaskId());
                okExt.add(r.rec().externalId());
                okTask.add(res.getTaskId());
                okApplied.add(r.recordJson());
                acks[r.index()] = new Ack(in.messageId(), r.rec().externalId(), true, "created", "", "", res.getTaskId(), 0);
            } else {
                String why = (res.getErrorField().isEmpty() ? "" : res.getErrorField() + ": ") + res.getErrorMessage();
                acks[r.index()] = Ack.rejected(in, r.rec().externalId(), res.getErrorCode(), why);
                failures.add(new Failure(r.rec().externalId(), r.rec().version(), res.getErrorCode(), why, r.recordJson()));
                badExt.add(r.rec().externalId());
                badWhy.add(res.getErrorCode() + ": " + why);
            }
        }
        if (!toSubmit.isEmpty()) {
            var submitted = timed("submit", actor, () -> listing.withDeadlineAfter(30, TimeUnit.SECONDS).transitionMany(
                    TransitionManyRequest.newBuilder().addAllTaskIds(toSubmit).setAction("submit").setOperatorType("system").build()));
            for (var r : submitted.getResultsList()) {
                if (r.getOk() || "ILLEGAL_TRANSITION".equals(r.getErrorCode())) {
                    continue;
                }
                if (TRANSIENT.contains(r.getErrorCode())) {
                    throw new PageNotApplied("task " + r.getTaskId() + " could not be submitted: " + r.getErrorCode(), null);
                }
                // the record's own fault (e.g. VALIDATION_FAILED against the category's rules): that record is
                // refused with the reason; the rest of the page goes on
                int at = okTask.indexOf(r.getTaskId());
                if (at < 0) {
                    throw new PageNotApplied("task " + r.getTaskId() + " could not be submitted: " + r.getErrorCode(), null);
                }
                String ext = okExt.remove(at);
                okTask.remove(at);
                String applied = okApplied.remove(at);
                Row row = rows.stream().filter(x -> x.rec().externalId().equals(ext)).findFirst().orElseThrow();
                String why = "task " + r.getTaskId() + " refused at submit: " + r.getErrorMessage();
                acks[row.index()] = Ack.rejected(page.get(row.index()), ext, r.getErrorCode(), why);
                failures.add(new Failure(ext, row.rec().version(), r.getErrorCode(), why, applied));
                badExt.add(ext);
                badWhy.add(r.getErrorCode() + ": " + why);
            }
        }
        if (!okExt.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_item i SET task_id = u.task, status = 'pending', "
                    + "applied = u.applied::jsonb, applied_version = i.last_version, consecutive_failures = 0, last_error = NULL "
                    + "FROM unnest(?::text[], ?::bigint[], ?::text[]) AS u(ext, task, applied) "
                    + "WHERE i.supplier_code = ? AND i.external_id = u.ext")) {
                ps.setArray(1, c.createArrayOf("text", okExt.toArray()));
                ps.setArray(2, c.createArrayOf("bigint", okTask.toArray()));
                ps.setArray(3, c.createArrayOf("text", okApplied.toArray()));
                ps.setString(4, s.code);
                ps.executeUpdate();
            }
        }
        markFailed(c, s.code, badExt, badWhy);
        return okExt.size();
    }

    /** Known items: the differences between what was applied and the newest record, as catalogue commands. */
    private int update(Connection c, Supplier s, Actor actor, List<Incoming> page, List<Row> rows, Map<String, Known> before,
                       Ack[] acks, List<Failure> failures) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        // items whose task went online since: learn their catalogue item
        Map<String, Long> items = new HashMap<>();
        List<Long> unresolved = new ArrayList<>();
        for (Row r : rows) {
            Known k = before.get(r.rec().externalId());
            if (k.itemId() != null) {
                items.put(k.externalId(), k.itemId());
            } else {
                unresolved.add(k.taskId());
            }
        }
        if (!unresolved.isEmpty()) {
            Map<Long, Long> online = onlineItems(actor, unresolved);
            for (Row r : rows) {
                Known k = before.get(r.rec().externalId());
                if (k.itemId() == null && online.getOrDefault(k.taskId(), -1L) > 0) {
                    items.put(k.externalId(), online.get(k.taskId()));
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        List<String> pendingExt = new ArrayList<>();
        for (Row r : rows) {
            Known k = before.get(r.rec().externalId());
            Long item = items.get(k.externalId());
            Incoming in = page.get(r.index());
            if (item == null) {
                pendingExt.add(k.externalId());
                acks[r.index()] = new Ack(in.messageId(), k.externalId(), true, "pending", "", "kept: its listing task "
                        + k.taskId() + " is not online yet; applied when it is", k.taskId(), 0);
            } else {
                targets.add(new Target(r.index(), in.messageId(), k.externalId(), k.taskId(), item, r.rec(), r.recordJson(),
                        k.applied(), "offline".equals(k.status())));
            }
        }
        if (!pendingExt.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_item SET status = 'pending' "
                    + "WHERE supplier_code = ? AND external_id = ANY(?)")) {
                ps.setString(1, s.code);
                ps.setArray(2, c.createArrayOf("text", pendingExt.toArray()));
                ps.executeUpdate();
            }
        }
        Map<Integer, Ack> out = applyToCatalogue(c, s, actor, targets, failures);
        out.forEach((index, ack) -> acks[index] = ack);
        return (int) out.values().stream().filter(Ack::accepted).count();
    }

    /** The distinct message ids of a page, as many as fit history's 128-character column, then "+N more". */
    static String messageIds(List<Target> targets) {
        List<String> ids = targets.stream().map(Target::messageId).filter(m -> m != null && !m.isEmpty()).distinct().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            String more = ",+" + (ids.size() - i) + " more";
            if (out.length() + ids.get(i).length() + 1 + (i + 1 < ids.size() ? more.length() : 0) > 128) {
                return out.isEmpty() ? more.substring(1) : out + more;
            }
            out.append(out.isEmpty() ? "" : ",").append(ids.get(i));
        }
        return out.toString();
    }

    record Target(int index, String messageId, String externalId, Long taskId, long itemId, SupplierRecord rec, String recordJson,
                  JsonNode applied, boolean wasOffline) {
    }

    /**
     * One AdjustPrices, one AdjustInventory and up to two ChangeStatus calls for all targets;
     * records the outcome per item (synced / offline, or failed with the first refusal).
     */
    Map<Integer, Ack> applyToCatalogue(Connection c, Supplier s, Actor actor, List<Target> targets, List<Failure> failures)
            throws SQLException {
        Map<Integer, Ack> out = new HashMap<>();
        if (targets.isEmpty()) {
            return out;
        }
        // product history records the supplier and the messages that caused the change
        String messages = messageIds(targets);
        AdjustPricesRequest.Builder prices = AdjustPricesRequest.newBuilder().setOperatorId(actor.userId())
                .setReason("supplier " + s.code).setSupplierId(s.code).setSupplierMessageId(messages);
        AdjustInventoryRequest.Builder stock = AdjustInventoryRequest.newBuilder().setOperatorId(actor.userId())
                .setReason("supplier " + s.code).setSupplierId(s.code).setSupplierMessageId(messages);
        List<Long> goOnline = new ArrayList<>();
        List<Long> goOffline = new ArrayList<>();
        Map<Long, String> errors = new HashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            Target g = targets.get(t);
            Map<String, long[]> was = slots(g.applied());
            for (SupplierRecord.Slot slot : g.rec().slots()) {
                long[] old = was.get(slot.slot());
                if (old == null || old[0] != slot.priceCents()) {
                    prices.addChanges(PriceChange.newBuilder().setIndex(t).setItemId(g.itemId()).setMode("set")
                            .setValue(slot.priceCents()).setPriceDate(slot.slot()));
                }
                if (slot.stock() != null && (old == null || old[1] != slot.stock())) {
                    stock.addChanges(StockChange.newBuilder().setIndex(t).setItemId(g.itemId()).setMode("set")
                            .setQuantity(slot.stock()).setStockDate(slot.slot()));
                }
            }
            if (g.rec().offline() && !g.wasOffline()) {
                goOffline.add(g.itemId());
            } else if (!g.rec().offline() && g.wasOffline()) {
                goOnline.add(g.itemId());
            }
        }
        if (!goOnline.isEmpty()) {
            collect(errors, timed("change_status", actor, () -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).changeStatus(ChangeStatusRequest.newBuilder()
                    .addAllItemIds(goOnline).setTargetStatus("online").setOperatorType("system").setOperatorId(actor.userId())
                    .setReason("supplier " + s.code + ": on sale again").build())), goOnline);
        }
        // prices and stock of the page in one catalogue transaction (one lock of the items, both or
        // neither); a price refusal is the item's first
        if (prices.getChangesCount() > 0 || stock.getChangesCount() > 0) {
            AdjustPricesAndInventoryReply both = timed("adjust_prices_and_inventory", actor, () -> catalog
                    .withDeadlineAfter(30, TimeUnit.SECONDS).adjustPricesAndInventory(AdjustPricesAndInventoryRequest.newBuilder()
                            .setPrices(prices).setStock(stock).build()));
            collect(errors, both.getPrices(), null);
            collect(errors, both.getStock(), null);
        }
        if (!goOffline.isEmpty()) {
            collect(errors, timed("change_status", actor, () -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS).changeStatus(ChangeStatusRequest.newBuilder()
                    .addAllItemIds(goOffline).setTargetStatus("offline").setOperatorType("system").setOperatorId(actor.userId())
                    .setReason("supplier " + s.code + ": withdrawn or cancelled").build())), goOffline);
        }
        List<String> okExt = new ArrayList<>();
        List<Long> okItem = new ArrayList<>();
        List<String> okStatus = new ArrayList<>();
        List<String> badExt = new ArrayList<>();
        List<String> badWhy = new ArrayList<>();
        for (Target g : targets) {
            String err = errors.get(g.itemId());
            if (err == null) {
                okExt.add(g.externalId());
                okItem.add(g.itemId());
                okStatus.add(g.rec().offline() ? "offline" : "synced");
                out.put(g.index(), new Ack(g.messageId(), g.externalId(), true, "updated", "", "", g.taskId() == null ? 0 : g.taskId(),
                        g.itemId()));
            } else {
                String code = err.substring(0, err.indexOf(':'));
                badExt.add(g.externalId());
                badWhy.add(err);
                failures.add(new Failure(g.externalId(), g.rec().version(), code, err.substring(code.length() + 2), g.recordJson()));
                out.put(g.index(), new Ack(g.messageId(), g.externalId(), false, "rejected", code, err.substring(code.length() + 2),
                        g.taskId() == null ? 0 : g.taskId(), g.itemId()));
            }
        }
        if (!okExt.isEmpty()) {
            // what was applied is the item's record (the page's upsert wrote it; a pending item's is the one read,
            // locked): it is not sent again
            try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_item i SET item_id = u.item, status = u.st, "
                    + "applied = i.record, applied_version = i.last_version, consecutive_failures = 0, last_error = NULL, "
                    + "last_synced_at = now() FROM unnest(?::text[], ?::bigint[], ?::text[]) AS u(ext, item, st) "
                    + "WHERE i.supplier_code = ? AND i.external_id = u.ext")) {
                ps.setArray(1, c.createArrayOf("text", okExt.toArray()));
                ps.setArray(2, c.createArrayOf("bigint", okItem.toArray()));
                ps.setArray(3, c.createArrayOf("text", okStatus.toArray()));
                ps.setString(4, s.code);
                ps.executeUpdate();
            }
        }
        markFailed(c, s.code, badExt, badWhy);
        return out;
    }

    /** The first refusal per item of a catalogue reply ("CODE: field: message"). */
    private static void collect(Map<Long, String> errors, ItemResults results, List<Long> ids) {
        for (ItemResult r : results.getResultsList()) {
            if (!r.getOk() && (r.getRetryable() || TRANSIENT.contains(r.getErrorCode()))) {
                throw new PageNotApplied("the catalogue could not take an update now: " + r.getErrorCode() + " "
                        + r.getErrorMessage(), null);
            }
            if (!r.getOk()) {
                long item = r.getItemId() != 0 ? r.getItemId() : ids != null && r.getIndex() < ids.size() ? ids.get(r.getIndex()) : 0;
                errors.putIfAbsent(item, r.getErrorCode() + ": " + (r.getErrorField().isEmpty() ? "" : r.getErrorField() + ": ")
                        + r.getErrorMessage());
            }
        }
    }

    private static void markFailed(Connection c, String supplier, List<String> ext, List<String> why) throws SQLException {
        if (ext.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_item i SET status = 'failed', last_error = u.why, "
                + "consecutive_failures = i.consecutive_failures + 1 FROM unnest(?::text[], ?::text[]) AS u(ext, why) "
                + "WHERE i.supplier_code = ? AND i.external_id = u.ext")) {
            ps.setArray(1, c.createArrayOf("text", ext.toArray()));
            ps.setArray(2, c.createArrayOf("text", why.toArray()));
            ps.setString(3, supplier);
            ps.executeUpdate();
        }
    }

    static final int REJECTED = 12;

    /** The catalogue item of each task that is online (or was published), by task id; -1 for a rejected task. */
    private Map<Long, Long> onlineItems(Actor actor, List<Long> taskIds) {
        Map<Long, Long> out = new HashMap<>();
        for (int from = 0; from < taskIds.size(); from += 2000) {
            List<Long> chunk = taskIds.subList(from, Math.min(taskIds.size(), from + 2000));
            for (ListingTaskReply t : timed("get_tasks", actor, () -> listingQueries.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getTasks(GetTasksRequest.newBuilder().addAllTaskIds(chunk).build())).getTasksList()) {
                if (t.getItemId() != 0) {
                    out.put(t.getTaskId(), t.getItemId());
                } else if (t.getStatus() == REJECTED) {
                    out.put(t.getTaskId(), -1L);
                }
            }
        }
        return out;
    }

    /**
     * Items whose task was not online when their last update came: once it is, their catalogue
     * item is recorded and the newest record applied. Called on a short schedule per supplier.
     */
    public int resolvePending(Supplier s) {
        Actor actor = actorOf(s, 0);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<Long, Object[]> pending = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT task_id, external_id, record, applied, last_version, applied_version "
                        + "FROM supplier_item WHERE supplier_code = ? AND status = 'pending' AND task_id IS NOT NULL "
                        + "ORDER BY last_synced_at LIMIT 2000 FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, s.code);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            pending.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getLong(5), rs.getLong(6)});
                        }
                    }
                }
                if (pending.isEmpty()) {
                    c.commit();
                    return 0;
                }
                Map<Long, Long> online = onlineItems(actor, new ArrayList<>(pending.keySet()));
                List<Target> targets = new ArrayList<>();
                List<String> rejectedExt = new ArrayList<>();
                List<String> rejectedWhy = new ArrayList<>();
                int index = 0;
                for (var e : online.entrySet()) {
                    if (e.getValue() < 0) {
                        // audit rejected the listing: nothing to apply to; a newer version creates it anew
                        rejectedExt.add((String) pending.get(e.getKey())[0]);
                        rejectedWhy.add("LISTING_REJECTED: listing task " + e.getKey() + " was rejected");
                        continue;
                    }
                    Object[] p = pending.get(e.getKey());
                    String recordJson = (String) p[1];
                    SupplierRecord rec = fromJson(readTree(recordJson), (Long) p[3]);
                    JsonNode applied = p[2] == null ? null : readTree((String) p[2]);
                    targets.add(new Target(index++, "", (String) p[0], e.getKey(), e.getValue(), rec, recordJson, applied, false));
                }
                if (!rejectedExt.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_item SET task_id = NULL, status = 'failed', "
                            + "last_error = u.why, consecutive_failures = consecutive_failures + 1 "
                            + "FROM unnest(?::text[], ?::text[]) AS u(ext, why) WHERE supplier_code = ? AND external_id = u.ext")) {
                        ps.setArray(1, c.createArrayOf("text", rejectedExt.toArray()));
                        ps.setArray(2, c.createArrayOf("text", rejectedWhy.toArray()));
                        ps.setString(3, s.code);
                        ps.executeUpdate();
                    }
                }
                List<Failure> failures = new ArrayList<>();
                Map<Integer, Ack> acks = applyToCatalogue(c, s, actor, targets, failures);
                c.commit();
                if (!failures.isEmpty()) {
                    recordState(s.code, Channel.PULL, 0, 0, 0, failures, null);
                }
                return (int) acks.values().stream().filter(Ack::accepted).count();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not resolve pending supplier items", e);
        }
    }

    // --- the stored record: what was accepted, and the form it was applied in

    private static String recordJson(SupplierRecord r) {
        ObjectNode n = JSON.createObjectNode().put("externalId", r.externalId()).put("version", r.version())
                .put("categoryId", r.categoryId()).put("title", r.title()).put("offline", r.offline());
        if (r.expiresAt() != null) {
            n.put("expiresAt", r.expiresAt().toString());
        }
        if (r.changedAt() != null) {
            n.put("changedAt", r.changedAt().toString());
        }
        ArrayNode slots = n.putArray("slots");
        for (SupplierRecord.Slot s : r.slots()) {
            ObjectNode o = slots.addObject().put("slot", s.slot()).put("price", s.priceCents());
            if (s.stock() != null) {
                o.put("stock", s.stock());
            }
        }
        n.set("itemData", JSON.valueToTree(r.itemData()));
        return n.toString();
    }

    private static SupplierRecord fromJson(JsonNode n, long version) {
        List<SupplierRecord.Slot> slots = new ArrayList<>();
        n.path("slots").forEach(s -> slots.add(new SupplierRecord.Slot(s.path("slot").asText(), s.path("price").asLong(),
                s.hasNonNull("stock") ? s.get("stock").asLong() : null)));
        return new SupplierRecord(n.path("externalId").asText(), version, n.path("categoryId").asLong(), n.path("title").asText(),
                Map.of(), slots, n.path("offline").asBoolean(), null, null);
    }

    /** slot -> {price cents, stock (-2 when none)} of an applied record. */
    private static Map<String, long[]> slots(JsonNode applied) {
        Map<String, long[]> out = new HashMap<>();
        if (applied != null) {
            applied.path("slots").forEach(s -> out.put(s.path("slot").asText(), new long[] {s.path("price").asLong(),
                    s.hasNonNull("stock") ? s.get("stock").asLong() : -2}));
        }
        return out;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A listing-service call, timed as supplier_listing_call_seconds{call}. */
    private <T> T timed(String name, Actor actor, java.util.concurrent.Callable<T> work) {
        long t0 = System.nanoTime();
        try {
            return call(actor, work);
        } finally {
            meters.timer("supplier_listing_call_seconds", "call", name).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A call to listing-service as the supplier, in a context of its own: a pushed page's calls must
     * not inherit the supplier's stream context (its cancellation would cancel them half-way).
     */
    public static <T> T call(Actor actor, java.util.concurrent.Callable<T> work) {
        try {
            return io.grpc.Context.ROOT.call(() -> ActorPropagation.callAs(actor, work));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- sync state and failures

    /**
     * One refused record: its reason code and reason, the payload as it came, where it came
     * (the message id: a gRPC message, a Kafka topic/partition/offset or message id, a pulled
     * page's "page:cursor#row") and the field the reason is about (null when it is not one field).
     */
    public record Failure(String externalId, Long version, String code, String reason, String payload, String row, String field) {
        public Failure(String externalId, Long version, String code, String reason, String payload) {
            this(externalId, version, code, reason, payload, null, null);
        }
    }

    public void recordState(String supplier, Channel channel, int received, int applied, int ignored, List<Failure> failures,
                            Instant newestChange) {
        try (Connection c = ds.getConnection()) {
            if (!failures.isEmpty()) {
                int n = failures.size();
                String[] ext = new String[n];
                Long[] ver = new Long[n];
                String[] code = new String[n];
                String[] why = new String[n];
                String[] payload = new String[n];
                String[] row = new String[n];
                String[] field = new String[n];
                for (int i = 0; i < n; i++) {
                    Failure f = failures.get(i);
                    ext[i] = f.externalId() == null || f.externalId().isEmpty() ? null : f.externalId();
                    ver[i] = f.version();
                    code[i] = f.code();
                    why[i] = f.reason();
                    payload[i] = f.payload() == null || f.payload().length() <= 4000 ? f.payload() : f.payload().substring(0, 4000);
                    row[i] = f.row();
                    field[i] = f.field();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO supplier_sync_failure (supplier_code, channel, external_id, "
                        + "version, reason_code, reason, payload, row_ref, field) SELECT ?, ?, u.ext, u.ver, u.code, u.why, u.payload, "
                        + "u.row_ref, u.field FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                        + "AS u(ext, ver, code, why, payload, row_ref, field)")) {
                    ps.setString(1, supplier);
                    ps.setString(2, channel.wire());
                    ps.setArray(3, c.createArrayOf("text", ext));
                    ps.setArray(4, c.createArrayOf("bigint", ver));
                    ps.setArray(5, c.createArrayOf("text", code));
                    ps.setArray(6, c.createArrayOf("text", why));
                    ps.setArray(7, c.createArrayOf("text", payload));
                    ps.setArray(8, c.createArrayOf("text", row));
                    ps.setArray(9, c.createArrayOf("text", field));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE supplier_sync_state SET received_count = received_count + ?, "
                    + "applied_count = applied_count + ?, ignored_count = ignored_count + ?, failed_count = failed_count + ?, "
                    + "last_attempt_at = now(), last_success_at = CASE WHEN ? > 0 THEN now() ELSE last_success_at END, "
                    + "last_record_at = greatest(last_record_at, ?), "
                    + "last_lag_seconds = CASE WHEN ?::timestamptz IS NULL THEN last_lag_seconds "
                    + "ELSE greatest(0, extract(epoch FROM now() - ?::timestamptz)) END, "
                    + "last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END, updated_at = now() WHERE supplier_code = ?")) {
                Timestamp newest = newestChange == null ? null : Timestamp.from(newestChange);
                String lastError = failures.isEmpty() ? null : failures.get(failures.size() - 1).code() + ": "
                        + failures.get(failures.size() - 1).reason();
                ps.setInt(1, received);
                ps.setInt(2, applied);
                ps.setInt(3, ignored);
                ps.setInt(4, failures.size());
                ps.setInt(5, applied + ignored);
                ps.setTimestamp(6, newest);
                ps.setTimestamp(7, newest);
                ps.setTimestamp(8, newest);
                ps.setString(9, lastError);
                ps.setString(10, lastError);
                ps.setString(11, supplier);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            LOG.errorf(e, "could not record the sync state of %s", supplier);
        }
    }
}
