package dev.marketops.listing.catalogue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.listing.catalogue.domain.CataloguePlanner;
import dev.marketops.listing.catalogue.domain.ItemPlan;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.config.Category;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The publish saga's catalogue steps (catalog.proto). Every step takes many items and is a
 * handful of set-based statements in one transaction. A step first claims the items it has
 * not done yet (one UPDATE that appends the step to item.saga_steps and bumps the version),
 * then writes only for the claimed ones: a repeated step, or two racing calls, write once.
 * A compensation removes its step the same way and undoes only for items that had it.
 */
@ApplicationScoped
public class CatalogueSaga {

    public static final String CREATE_ITEM = "create_item";
    public static final String CREATE_SKUS = "create_skus";
    public static final String SET_ATTRIBUTES = "set_attributes";
    public static final String INIT_INVENTORY = "init_inventory";
    public static final String SET_PRICES = "set_prices";
    public static final String MARK_ONLINE = "mark_online";
    public static final List<String> STEPS = List.of(CREATE_ITEM, CREATE_SKUS, SET_ATTRIBUTES, INIT_INVENTORY, SET_PRICES, MARK_ONLINE);
    public static final int MAX_ITEMS = 2000;
    static final int APPROVED = 11;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource ds;
    @Inject
    SnowflakeIds ids;
    @Inject
    CategoryDirectory categories;
    @Inject
    GoodsEvents goodsEvents;
    @Inject
    dev.marketops.listing.catalogue.history.ProductHistory history;

    /** An item as a step sees it, with the plan derived from its task's item data. */
    record Loaded(long itemId, long taskId, long categoryId, long shopId, String status, long version, Set<String> steps,
                  String inventoryModel, ItemPlan plan) {

        Loaded withVersion(long v) {
            return new Loaded(itemId, taskId, categoryId, shopId, status, v, steps, inventoryModel, plan);
        }
    }

    private record TaskRow(long taskId, long categoryId, int status, Long shopId) {
    }

    // ---- step 1 ---------------------------------------------------------------------------

    public ItemResults createItems(List<Long> taskIds) {
        checkSize(taskIds, "task_ids");
        ItemResult[] results = new ItemResult[taskIds.size()];
        Map<Long, TaskRow> tasks = new HashMap<>();
        Map<Long, long[]> existing = new HashMap<>();
        readTasksAndItems(taskIds, tasks, existing);

        Map<Long, Category> cats = new HashMap<>();
        Map<Long, ItemResult> refused = new HashMap<>();
        LinkedHashMap<Long, Category> todo = new LinkedHashMap<>();
        for (long taskId : new LinkedHashSet<>(taskIds)) {
            TaskRow t = tasks.get(taskId);
            if (t == null || existing.containsKey(taskId)) {
                continue;
            }
            if (t.status() != APPROVED) {
                refused.put(taskId, Results.error(0, 0, taskId, "ILLEGAL_STATUS", "task_id",
                        "task " + taskId + " is in status " + t.status() + ", not APPROVED", false));
                continue;
            }
            if (t.shopId() == null) { // a task from before shops were recorded: its shop is not known, and is not guessed
                refused.put(taskId, Results.error(0, 0, taskId, "NO_SHOP", "shop_id",
                        "task " + taskId + " names no shop; create it again with its shop", false));
                continue;
            }
            try {
                Category c = cats.computeIfAbsent(t.categoryId(), id -> categories.find(id).orElse(null));
                if (c == null) {
                    refused.put(taskId, Results.error(0, 0, taskId, "UNKNOWN_CATEGORY", "category_id",
                            "category " + t.categoryId() + " does not exist", false));
                } else {
                    todo.put(taskId, c);
                }
            } catch (ApiProblem p) { // config-service unavailable: worth a retry
                refused.put(taskId, Results.error(0, 0, taskId, p.code(), "category_id", p.getMessage(), true));
            }
        }
        if (!todo.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> insertItems(todo, existing));
        }
        for (int i = 0; i < taskIds.size(); i++) {
            long taskId = taskIds.get(i);
            long[] item = existing.get(taskId);
            if (item != null) {
                results[i] = Results.ok(i, item[0], taskId, item[1]);
            } else if (refused.containsKey(taskId)) {
                results[i] = refused.get(taskId).toBuilder().setIndex(i).build();
            } else if (!tasks.containsKey(taskId)) {
                results[i] = Results.error(i, 0, taskId, "NOT_FOUND", "task_id", "no listing task " + taskId, false);
            } else {
                results[i] = Results.error(i, 0, taskId, "ILLEGAL_STATUS", "task_id",
                        "task " + taskId + " left APPROVED while its item was being created", false);
            }
        }
        return Results.of(results);
    }

    private void readTasksAndItems(List<Long> taskIds, Map<Long, TaskRow> tasks, Map<Long, long[]> existing) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT task_id, category_id, status, shop_id FROM listing_task WHERE task_id = ANY(?)")) {
                ps.setArray(1, Sql.longs(c, taskIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long shop = rs.getLong(4);
                        tasks.put(rs.getLong(1), new TaskRow(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.wasNull() ? null : shop));
                    }
                }
            }
            readItemsOfTasks(c, taskIds, existing);
        } catch (SQLException e) {
            throw new IllegalStateException("reading tasks failed", e);
        }
    }

    private static void readItemsOfTasks(Connection c, List<Long> taskIds, Map<Long, long[]> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id, item_id, version FROM item WHERE task_id = ANY(?)")) {
            ps.setArray(1, Sql.longs(c, taskIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
    }

    private void insertItems(Map<Long, Category> todo, Map<Long, long[]> existing) {
        List<Long> itemIds = new ArrayList<>();
        List<Long> taskIds = new ArrayList<>(todo.keySet());
        List<String> inventory = new ArrayList<>();
        List<String> price = new ArrayList<>();
        for (Map.Entry<Long, Category> e : todo.entrySet()) {
            itemIds.add(ids.nextId());
            inventory.add(e.getValue().getInventoryModel());
            price.add(e.getValue().getPriceModel());
        }
        try (Connection c = ds.getConnection()) {
            // The item is in the task's shop, recorded when the task was created (ListingOrigins).
            Sql.update(c, """
                    INSERT INTO item (item_id, task_id, category_id, shop_id, title, status, version, source_type,
                        inventory_model, price_model, saga_steps)
                    SELECT u.item_id, t.task_id, t.category_id, t.shop_id,
                        t.title, 'draft', 1, t.source_type, u.inv, u.price, ARRAY['create_item']
                    FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS u(item_id, task_id, inv, price)
                    JOIN listing_task t ON t.task_id = u.task_id AND t.status = 11 AND t.shop_id IS NOT NULL
                    ON CONFLICT (task_id) DO NOTHING""",
                    Sql.longs(c, itemIds), Sql.longs(c, taskIds), Sql.texts(c, inventory), Sql.texts(c, price));
            // One read answers for the new rows and for tasks a concurrent call created first.
            readItemsOfTasks(c, taskIds, existing);
        } catch (SQLException e) {
            throw new IllegalStateException("creating items failed", e);
        }
    }

    // ---- steps 2-6 ------------------------------------------------------------------------

    public ItemResults createSkus(List<Long> itemIds) {
        return step(CREATE_SKUS, itemIds);
    }

    public ItemResults setAttributes(List<Long> itemIds) {
        return step(SET_ATTRIBUTES, itemIds);
    }

    public ItemResults initInventory(List<Long> itemIds) {
        return step(INIT_INVENTORY, itemIds);
    }

    public ItemResults setPrices(List<Long> itemIds) {
        return step(SET_PRICES, itemIds);
    }

    public ItemResults markOnline(List<Long> itemIds) {
        return markOnline(itemIds, List.of());
    }

    /** {@code sagaIds}: the publish saga of each item (parallel to {@code itemIds}, or empty), recorded in its history. */
    public ItemResults markOnline(List<Long> itemIds, List<Long> sagaIds) {
        checkSize(itemIds, "item_ids");
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                return stepIn(c, MARK_ONLINE, itemIds, load(c, itemIds), sagaOf(itemIds, sagaIds));
            }
        });
    }

    /**
     * Consecutive steps in one call (RunSteps): create_item first where asked (its own transaction,
     * as {@link #createItems}), then the later steps in one transaction with one read of the items;
     * each step sees what the earlier ones wrote. An item that fails a step takes no later step.
     * Answers one result list per step with the items that reached it, indexed by request position.
     */
    public List<ItemResults> runSteps(List<String> steps, List<Long> taskIds, List<Long> itemIds, List<Long> sagaIds) {
        int first = steps.isEmpty() ? -1 : STEPS.indexOf(steps.get(0));
        if (first < 0 || first + steps.size() > STEPS.size() || !STEPS.subList(first, first + steps.size()).equals(steps)) {
            throw ApiProblem.invalidField("steps", "must name consecutive saga steps " + STEPS, steps.toString());
        }
        boolean creates = first == 0;
        List<Long> input = creates ? taskIds : itemIds;
        checkSize(input, creates ? "task_ids" : "item_ids");
        List<ItemResults> out = new ArrayList<>(steps.size());
        long[] item = new long[input.size()];
        List<Integer> alive = new ArrayList<>(input.size());
        if (creates) {
            ItemResults made = createItems(taskIds);
            out.add(made);
            for (ItemResult r : made.getResultsList()) {
                if (r.getOk()) {
                    item[r.getIndex()] = r.getItemId();
                    alive.add(r.getIndex());
                }
            }
        } else {
            for (int i = 0; i < item.length; i++) {
                item[i] = itemIds.get(i);
                alive.add(i);
            }
        }
        List<String> rest = steps.subList(creates ? 1 : 0, steps.size());
        if (rest.isEmpty()) {
            return out;
        }
        Map<Long, Long> sagaOf = sagaOf(java.util.Arrays.stream(item).boxed().toList(), sagaIds);
        out.addAll(QuarkusTransaction.requiringNew().call(() -> {
            List<ItemResults> done = new ArrayList<>(rest.size());
            try (Connection c = ds.getConnection()) {
                List<Integer> live = alive;
                Map<Long, Loaded> items = live.isEmpty() ? new HashMap<>() : load(c, live.stream().map(i -> item[i]).toList());
                for (String step : rest) {
                    List<Integer> at = live;
                    ItemResults r = at.isEmpty() ? Results.of(new ItemResult[0])
                            : stepIn(c, step, at.stream().map(i -> item[i]).toList(), items, sagaOf);
                    ItemResult[] back = new ItemResult[r.getResultsCount()];
                    List<Integer> next = new ArrayList<>(at.size());
                    for (int j = 0; j < back.length; j++) {
                        ItemResult one = r.getResults(j);
                        back[j] = one.toBuilder().setIndex(at.get(j)).build();
                        if (one.getOk()) {
                            next.add(at.get(j));
                        }
                    }
                    done.add(Results.of(back));
                    live = next;
                }
            }
            return done;
        }));
        return out;
    }

    private static Map<Long, Long> sagaOf(List<Long> itemIds, List<Long> sagaIds) {
        Map<Long, Long> sagaOf = new HashMap<>();
        for (int i = 0; i < Math.min(itemIds.size(), sagaIds.size()); i++) {
            sagaOf.put(itemIds.get(i), sagaIds.get(i));
        }
        return sagaOf;
    }

    private ItemResults step(String step, List<Long> itemIds) {
        checkSize(itemIds, "item_ids");
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                return stepIn(c, step, itemIds, load(c, itemIds), Map.of());
            }
        });
    }

    /** What each step needs done before it. */
    private static Set<String> requires(String step) {
        return step.equals(CREATE_SKUS) || step.equals(SET_ATTRIBUTES) ? Set.of() : Set.of(CREATE_SKUS);
    }

    /**
     * One step for the items, in the caller's transaction; {@code items} as loaded (items claimed here
     * are updated in it, so a later step in the same transaction sees this one done).
     */
    private ItemResults stepIn(Connection c, String step, List<Long> itemIds, Map<Long, Loaded> items, Map<Long, Long> sagaOf)
            throws SQLException {
        Set<String> requires = requires(step);
        ItemResult[] results = new ItemResult[itemIds.size()];
        Map<Long, ItemResult> verdict = new HashMap<>();
        List<Long> candidates = new ArrayList<>();
        for (long id : new LinkedHashSet<>(itemIds)) {
            Loaded l = items.get(id);
            if (l == null) {
                verdict.put(id, Results.error(0, id, 0, "NOT_FOUND", "item_id", "no item " + id, false));
            } else if (l.steps().contains(step)) {
                verdict.put(id, Results.ok(0, id, l.taskId(), l.version()));
            } else if (!l.steps().containsAll(requires)) {
                verdict.put(id, Results.error(0, id, l.taskId(), "ILLEGAL_STATUS", "item_id",
                        step + " needs " + requires + " first", false));
            } else if (step.equals(MARK_ONLINE) && !"draft".equals(l.status())) {
                verdict.put(id, Results.error(0, id, l.taskId(), "ILLEGAL_STATUS", "status",
                        "item " + id + " is " + l.status() + ", not draft", false));
            } else if (step.equals(SET_ATTRIBUTES) && l.plan().refusal() != null) {
                verdict.put(id, Results.error(0, id, l.taskId(), "REFUSED_ATTRIBUTE", l.plan().refusal().field(),
                        l.plan().refusal().message(), false));
            } else {
                candidates.add(id);
            }
        }
        Map<Long, Long> claimed = claim(c, step, candidates);
        List<Loaded> mine = new ArrayList<>();
        for (long id : candidates) {
            Loaded l = items.get(id);
            long version = claimed.getOrDefault(id, l.version() + 1);
            if (claimed.containsKey(id)) {
                mine.add(l.withVersion(version));
            }
            // Not claimed: a concurrent call did the step between our read and our claim.
            verdict.put(id, Results.ok(0, id, l.taskId(), version));
            l.steps().add(step);
            items.put(id, l.withVersion(version));
        }
        if (!mine.isEmpty()) {
            write(c, step, mine, sagaOf);
        }
        for (int i = 0; i < itemIds.size(); i++) {
            results[i] = verdict.get(itemIds.get(i)).toBuilder().setIndex(i).build();
        }
        return Results.of(results);
    }

    private void write(Connection c, String step, List<Loaded> claimed, Map<Long, Long> sagaOf) throws SQLException {
        switch (step) {
            case CREATE_SKUS -> writeSkus(c, claimed);
            case SET_ATTRIBUTES -> writeAttributes(c, claimed);
            case INIT_INVENTORY -> writeInventory(c, claimed);
            case SET_PRICES -> writePrices(c, claimed);
            case MARK_ONLINE -> {
                history.recordPublished(c, claimed.stream().map(Loaded::itemId).toList(), sagaOf);
                goodsEvents.enqueue(claimed.stream().map(l -> new GoodsEvents.Change(l.itemId(), l.shopId(), l.categoryId(),
                        "draft", "online", l.version())).toList(), "system", 0, "published", "");
            }
            default -> throw new IllegalArgumentException(step);
        }
    }

    private static Map<Long, Long> claim(Connection c, String step, List<Long> candidates) throws SQLException {
        Map<Long, Long> claimed = new HashMap<>();
        if (candidates.isEmpty()) {
            return claimed;
        }
        String extra = step.equals(MARK_ONLINE)
                ? ", status = 'online', first_online_at = COALESCE(first_online_at, now()), last_online_at = now()" : "";
        try (PreparedStatement ps = c.prepareStatement("UPDATE item SET saga_steps = array_append(saga_steps, ?), "
                + "version = version + 1, updated_at = now()" + extra
                + " WHERE item_id = ANY(?) AND NOT (? = ANY(saga_steps))" + (step.equals(MARK_ONLINE) ? " AND status = 'draft'" : "")
                + " RETURNING item_id, version")) {
            ps.setString(1, step);
            ps.setArray(2, Sql.longs(c, candidates));
            ps.setString(3, step);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return claimed;
    }

    Map<Long, Loaded> load(Connection c, List<Long> itemIds) throws SQLException {
        Map<Long, Loaded> out = new HashMap<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.item_id, i.task_id, i.category_id, i.shop_id, i.status, i.version, i.saga_steps,
                       i.inventory_model, i.price_model, i.title, t.item_data::text
                FROM item i LEFT JOIN listing_task t ON t.task_id = i.task_id WHERE i.item_id = ANY(?)""")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> data = itemData(rs.getString(11));
                    ItemPlan plan = CataloguePlanner.plan(rs.getString(8), rs.getString(9), rs.getString(10), data, today);
                    Set<String> steps = new LinkedHashSet<>(List.of((String[]) rs.getArray(7).getArray()));
                    out.put(rs.getLong(1), new Loaded(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5), rs.getLong(6), steps, rs.getString(8), plan));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> itemData(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (Exception e) {
            return Map.of();
        }
    }

    // ---- writers: one statement per table for all claimed items ---------------------------

    private void writeSkus(Connection c, List<Loaded> claimed) throws SQLException {
        List<Long> item = new ArrayList<>(), skuId = new ArrayList<>();
        List<String> code = new ArrayList<>(), name = new ArrayList<>();
        List<Long> slotItem = new ArrayList<>();
        List<String> slotCode = new ArrayList<>(), slot = new ArrayList<>();
        List<Long> bundle = new ArrayList<>(), sub = new ArrayList<>(), partPrice = new ArrayList<>();
        List<Integer> quantity = new ArrayList<>();
        for (Loaded l : claimed) {
            for (ItemPlan.SkuPlan s : l.plan().skus()) {
                item.add(l.itemId());
                skuId.add(ids.nextId());
                code.add(s.skuCode());
                name.add(s.name());
                for (ItemPlan.Slot k : s.calendar()) {
                    slotItem.add(l.itemId());
                    slotCode.add(s.skuCode());
                    slot.add(k.slot());
                }
            }
            for (ItemPlan.BundlePart p : l.plan().bundle()) {
                bundle.add(l.itemId());
                sub.add(p.subItemId());
                quantity.add(p.quantity());
                partPrice.add(p.priceCents());
            }
        }
        Sql.update(c, """
                INSERT INTO sku (sku_id, item_id, sku_code, name)
                SELECT u.sku_id, u.item_id, u.code, u.name FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS u(sku_id, item_id, code, name)
                ON CONFLICT (item_id, sku_code) DO NOTHING""",
                Sql.longs(c, skuId), Sql.longs(c, item), Sql.texts(c, code), Sql.texts(c, name));
        if (!slot.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO sku_calendar (sku_id, slot)
                    SELECT s.sku_id, u.slot FROM unnest(?::bigint[], ?::text[], ?::text[]) AS u(item_id, code, slot)
                    JOIN sku s ON s.item_id = u.item_id AND s.sku_code = u.code
                    ON CONFLICT DO NOTHING""", Sql.longs(c, slotItem), Sql.texts(c, slotCode), Sql.texts(c, slot));
        }
        if (!bundle.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO bundle_link (bundle_item_id, sub_item_id, quantity, price_cents)
                    SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::bigint[]) ON CONFLICT DO NOTHING""",
                    Sql.longs(c, bundle), Sql.longs(c, sub), Sql.ints(c, quantity), Sql.longs(c, partPrice));
        }
    }

    private void writeAttributes(Connection c, List<Loaded> claimed) throws SQLException {
        List<Long> item = new ArrayList<>();
        List<String> code = new ArrayList<>(), value = new ArrayList<>(), type = new ArrayList<>();
        for (Loaded l : claimed) {
            for (ItemPlan.Attribute a : l.plan().attributes()) {
                item.add(l.itemId());
                code.add(a.code());
                value.add(a.value());
                type.add(a.json() ? "json" : "text");
            }
        }
        if (!item.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO item_attribute (item_id, attr_code, attr_value, attr_type)
                    SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) ON CONFLICT DO NOTHING""",
                    Sql.longs(c, item), Sql.texts(c, code), Sql.texts(c, value), Sql.texts(c, type));
        }
    }

    private void writeInventory(Connection c, List<Loaded> claimed) throws SQLException {
        SkuColumns cols = SkuColumns.of(claimed);
        Sql.update(c, """
                UPDATE sku s SET stock = u.stock, updated_at = now()
                FROM unnest(?::bigint[], ?::text[], ?::bigint[]) AS u(item_id, code, stock)
                WHERE s.item_id = u.item_id AND s.sku_code = u.code""",
                Sql.longs(c, cols.item), Sql.texts(c, cols.code), Sql.longs(c, cols.stock));
        if (!cols.slot.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku_calendar k SET stock = u.stock
                    FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS u(item_id, code, slot, stock)
                    JOIN sku s ON s.item_id = u.item_id AND s.sku_code = u.code
                    WHERE k.sku_id = s.sku_id AND k.slot = u.slot""",
                    Sql.longs(c, cols.slotItem), Sql.texts(c, cols.slotCode), Sql.texts(c, cols.slot), Sql.longs(c, cols.slotStock));
        }
        List<Long> codeItem = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (Loaded l : claimed) {
            if ("code_pool".equals(l.inventoryModel())) {
                for (String code : l.plan().codes()) {
                    codeItem.add(l.itemId());
                    codes.add(code);
                }
            }
        }
        if (!codes.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO voucher_code (sku_id, code)
                    SELECT s.sku_id, u.code FROM unnest(?::bigint[], ?::text[]) AS u(item_id, code)
                    JOIN sku s ON s.item_id = u.item_id AND s.sku_code = 'main'
                    ON CONFLICT DO NOTHING""", Sql.longs(c, codeItem), Sql.texts(c, codes));
        }
    }

    private void writePrices(Connection c, List<Loaded> claimed) throws SQLException {
        SkuColumns cols = SkuColumns.of(claimed);
        Sql.update(c, """
                UPDATE sku s SET sale_price_cents = u.sale, face_value_cents = u.face, updated_at = now()
                FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[]) AS u(item_id, code, sale, face)
                WHERE s.item_id = u.item_id AND s.sku_code = u.code""",
                Sql.longs(c, cols.item), Sql.texts(c, cols.code), Sql.longs(c, cols.sale), Sql.longs(c, cols.face));
        if (!cols.slot.isEmpty()) {
            Sql.update(c, """
                    UPDATE sku_calendar k SET price_cents = u.price
                    FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS u(item_id, code, slot, price)
                    JOIN sku s ON s.item_id = u.item_id AND s.sku_code = u.code
                    WHERE k.sku_id = s.sku_id AND k.slot = u.slot""",
                    Sql.longs(c, cols.slotItem), Sql.texts(c, cols.slotCode), Sql.texts(c, cols.slot), Sql.longs(c, cols.slotPrice));
        }
    }

    /** The plans of many items as parallel columns for unnest. */
    private static final class SkuColumns {
        final List<Long> item = new ArrayList<>(), stock = new ArrayList<>(), sale = new ArrayList<>(), face = new ArrayList<>();
        final List<String> code = new ArrayList<>();
        final List<Long> slotItem = new ArrayList<>(), slotStock = new ArrayList<>(), slotPrice = new ArrayList<>();
        final List<String> slotCode = new ArrayList<>(), slot = new ArrayList<>();

        static SkuColumns of(List<Loaded> items) {
            SkuColumns cols = new SkuColumns();
            for (Loaded l : items) {
                for (ItemPlan.SkuPlan s : l.plan().skus()) {
                    cols.item.add(l.itemId());
                    cols.code.add(s.skuCode());
                    cols.stock.add(s.stock());
                    cols.sale.add(s.salePriceCents());
                    cols.face.add(s.faceValueCents());
                    for (ItemPlan.Slot k : s.calendar()) {
                        cols.slotItem.add(l.itemId());
                        cols.slotCode.add(s.skuCode());
                        cols.slot.add(k.slot());
                        cols.slotStock.add(k.stock());
                        cols.slotPrice.add(k.priceCents());
                    }
                }
            }
            return cols;
        }
    }

    // ---- compensation ---------------------------------------------------------------------

    public ItemResults compensate(String step, List<Long> itemIds, List<Long> taskIds) {
        if (!STEPS.contains(step)) {
            throw ApiProblem.invalidField("step", "must be one of " + STEPS, step);
        }
        if (step.equals(CREATE_ITEM) && itemIds.isEmpty()) {
            checkSize(taskIds, "task_ids"); // the item id may not be known when the first step timed out
        } else {
            checkSize(itemIds, "item_ids");
        }
        if (taskIds.size() > MAX_ITEMS) {
            throw ApiProblem.invalidField("task_ids", "at most " + MAX_ITEMS + " per call", taskIds.size());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = ds.getConnection()) {
                return step.equals(CREATE_ITEM) ? uncreate(c, itemIds, taskIds) : undo(c, step, itemIds);
            }
        });
    }

    private ItemResults undo(Connection c, String step, List<Long> itemIds) throws SQLException {
        Map<Long, long[]> found = new HashMap<>(); // item -> task, version
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id, task_id, version FROM item WHERE item_id = ANY(?)")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        String extra = step.equals(MARK_ONLINE)
                ? ", status = 'draft', last_online_at = NULL, first_online_at = CASE WHEN old.first_online_at = old.last_online_at THEN NULL ELSE old.first_online_at END"
                : "";
        List<Long> undone = new ArrayList<>();
        List<GoodsEvents.Change> offline = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("WITH old AS (SELECT item_id, status, first_online_at, last_online_at FROM item "
                + "WHERE item_id = ANY(?) AND ? = ANY(saga_steps) FOR UPDATE) "
                + "UPDATE item i SET saga_steps = array_remove(i.saga_steps, ?), version = i.version + 1, updated_at = now()" + extra
                + " FROM old WHERE i.item_id = old.item_id RETURNING i.item_id, i.version, old.status, i.shop_id, i.category_id")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            ps.setString(2, step);
            ps.setString(3, step);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    undone.add(rs.getLong(1));
                    found.get(rs.getLong(1))[1] = rs.getLong(2);
                    if (!"draft".equals(rs.getString(3))) {
                        offline.add(new GoodsEvents.Change(rs.getLong(1), rs.getLong(4), rs.getLong(5), rs.getString(3), "draft", rs.getLong(2)));
                    }
                }
            }
        }
        if (!offline.isEmpty()) { // an item taken back from online: its status change is history
            history.record(c, offline.stream().map(o -> new dev.marketops.listing.catalogue.history.ProductHistory.Change(o.itemId(),
                    dev.marketops.listing.catalogue.history.ChangeType.STATUS,
                    dev.marketops.listing.catalogue.history.ProductHistory.field("status", o.from()),
                    dev.marketops.listing.catalogue.history.ProductHistory.field("status", "draft"), null)).toList(),
                    dev.marketops.listing.catalogue.history.ChangeCause.of("publish compensated"));
        }
        if (!undone.isEmpty()) {
            var ids = Sql.longs(c, undone);
            switch (step) {
                case CREATE_SKUS -> {
                    Sql.update(c, "DELETE FROM sku WHERE item_id = ANY(?)", ids); // calendar and codes cascade
                    Sql.update(c, "DELETE FROM bundle_link WHERE bundle_item_id = ANY(?)", ids);
                }
                case SET_ATTRIBUTES -> Sql.update(c, "DELETE FROM item_attribute WHERE item_id = ANY(?)", ids);
                case INIT_INVENTORY -> {
                    Sql.update(c, "UPDATE sku SET stock = 0, updated_at = now() WHERE item_id = ANY(?)", ids);
                    Sql.update(c, "UPDATE sku_calendar k SET stock = 0 FROM sku s WHERE s.sku_id = k.sku_id AND s.item_id = ANY(?)", ids);
                    Sql.update(c, "DELETE FROM voucher_code v USING sku s WHERE s.sku_id = v.sku_id AND v.batch_id IS NULL AND s.item_id = ANY(?)", ids);
                }
                case SET_PRICES -> {
                    Sql.update(c, "UPDATE sku SET sale_price_cents = 0, face_value_cents = 0, updated_at = now() WHERE item_id = ANY(?)", ids);
                    Sql.update(c, "UPDATE sku_calendar k SET price_cents = 0 FROM sku s WHERE s.sku_id = k.sku_id AND s.item_id = ANY(?)", ids);
                }
                case MARK_ONLINE -> goodsEvents.enqueue(offline, "system", 0, "publish compensated", "");
                default -> throw new IllegalStateException(step);
            }
        }
        ItemResult[] results = new ItemResult[itemIds.size()];
        for (int i = 0; i < itemIds.size(); i++) {
            long[] f = found.get(itemIds.get(i));
            // An item that does not exist has nothing to undo: ok, as for a step that never ran.
            results[i] = Results.ok(i, itemIds.get(i), f == null ? 0 : f[0], f == null ? 0 : f[1]);
        }
        return Results.of(results);
    }

    private ItemResults uncreate(Connection c, List<Long> itemIds, List<Long> taskIds) throws SQLException {
        Map<Long, String> statusByItem = new HashMap<>();
        Map<Long, Long> itemOfTask = new HashMap<>();
        Map<Long, Long> taskOfItem = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, task_id, status FROM item WHERE item_id = ANY(?) OR task_id = ANY(?) FOR UPDATE")) {
            ps.setArray(1, Sql.longs(c, itemIds));
            ps.setArray(2, Sql.longs(c, taskIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statusByItem.put(rs.getLong(1), rs.getString(3));
                    itemOfTask.put(rs.getLong(2), rs.getLong(1));
                    taskOfItem.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        List<Long> drafts = statusByItem.entrySet().stream().filter(e -> "draft".equals(e.getValue())).map(Map.Entry::getKey).toList();
        if (!drafts.isEmpty()) {
            Sql.update(c, "DELETE FROM bundle_link WHERE bundle_item_id = ANY(?)", Sql.longs(c, drafts));
            Sql.update(c, "DELETE FROM item WHERE item_id = ANY(?)", Sql.longs(c, drafts)); // SKUs, slots, codes, attributes cascade
        }
        int n = itemIds.size() + taskIds.size();
        ItemResult[] results = new ItemResult[n];
        for (int i = 0; i < n; i++) {
            Long itemId = i < itemIds.size() ? itemIds.get(i) : itemOfTask.get(taskIds.get(i - itemIds.size()));
            long taskId = i < itemIds.size() ? taskOfItem.getOrDefault(itemIds.get(i), 0L) : taskIds.get(i - itemIds.size());
            String status = itemId == null ? null : statusByItem.get(itemId);
            if (status == null || "draft".equals(status)) {
                results[i] = Results.ok(i, itemId == null ? 0 : itemId, taskId, 0);
            } else {
                results[i] = Results.error(i, itemId, taskId, "ILLEGAL_STATUS", "status",
                        "item " + itemId + " is " + status + "; only a draft item can be removed (undo mark_online first)", false);
            }
        }
        return Results.of(results);
    }

    static void checkSize(List<?> ids, String field) {
        if (ids.isEmpty()) {
            throw ApiProblem.missingField(field);
        }
        if (ids.size() > MAX_ITEMS) {
            throw ApiProblem.invalidField(field, "at most " + MAX_ITEMS + " per call", ids.size());
        }
    }
}
