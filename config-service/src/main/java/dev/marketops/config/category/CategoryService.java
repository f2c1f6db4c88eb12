package dev.marketops.config.category;

import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class CategoryService {

    public record NewCategory(Long categoryId, String code, String name, Long parentId, Integer sortOrder,
                              String inventoryModel, String priceModel, String description) {
    }

    /** The fields an operator may change; null keeps the current value. The place in the tree is fixed. */
    public record CategoryUpdate(String name, Integer sortOrder, Boolean active, String inventoryModel,
                                 String priceModel, String description, Long version) {
    }

    /** A move to another parent (0: make it a root), made against the category's version. */
    public record MoveRequest(Long parentId, Integer sortOrder, Long version) {
    }

    /** The new order of a parent's children: every child exactly once, first shown first. */
    public record OrderRequest(Long parentId, List<Long> categoryIds) {
    }

    @Inject
    ConfigPublisher publisher;
    @Inject
    jakarta.persistence.EntityManager em;
    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    public List<Category> list(boolean includeInactive) {
        return Category.listOrdered(includeInactive);
    }

    public Optional<Category> find(long id) {
        return Category.findByIdOptional(id);
    }

    public Category get(long id) {
        return find(id).orElseThrow(() -> unknown(id));
    }

    private static ApiProblem unknown(long id) {
        return ApiProblem.notFound("UNKNOWN_CATEGORY", "no category with id " + id).with("categoryId", id);
    }

    /** The category then its ancestors, nearest first; 404 for an unknown id. */
    public List<Category> lineage(long id) {
        List<Category> lineage = Category.lineage(id);
        if (lineage.isEmpty()) {
            throw unknown(id);
        }
        return lineage;
    }

    @Transactional
    public Category update(long id, CategoryUpdate in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        Category c = Category.<Category>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> unknown(id));
        OptimisticLock.check(in.version(), c.version, "category", id);
        if (in.name() != null) {
            require("name", in.name());
            c.name = in.name().trim();
        }
        if (in.sortOrder() != null) {
            c.sortOrder = in.sortOrder();
        }
        if (in.active() != null) {
            c.active = in.active();
        }
        c.inventoryModel = pick("inventoryModel", in.inventoryModel(), c.inventoryModel, CategoryModels.INVENTORY);
        c.priceModel = pick("priceModel", in.priceModel(), c.priceModel, CategoryModels.PRICE);
        if (in.description() != null) {
            c.description = in.description();
        }
        c.updatedAt = OffsetDateTime.now();
        c.updatedBy = by;
        c.flush(); // the response carries the new version
        publisher.changed(ConfigType.CATEGORY, c.id, "updated");
        return c;
    }

    @Transactional
    public Category create(NewCategory in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        require("code", in.code());
        require("name", in.name());
        if (!in.code().matches("[A-Z][A-Z0-9_]{1,99}")) {
            throw ApiProblem.invalidField("code", "must be upper-case letters, digits and underscores", in.code());
        }
        if (Category.codeTaken(in.code())) {
            throw ApiProblem.conflict("DUPLICATE_CATEGORY_CODE", "category code " + in.code() + " already exists")
                    .with("field", "code").with("value", in.code());
        }
        long parentId = in.parentId() == null ? 0 : in.parentId();
        int level = 1;
        Category parent = null;
        if (parentId != 0) {
            parent = Category.<Category>findByIdOptional(parentId).orElseThrow(() ->
                    ApiProblem.invalidField("parentId", "no such category", parentId));
            level = parent.level + 1;
            if (level > CategoryModels.MAX_LEVEL) {
                throw ApiProblem.invalidField("parentId", "the tree has at most " + CategoryModels.MAX_LEVEL
                        + " levels; the parent is already at level " + parent.level, parentId);
            }
        }
        String inventory = pick("inventoryModel", in.inventoryModel(), parent == null ? "quantity" : parent.inventoryModel,
                CategoryModels.INVENTORY);
        String price = pick("priceModel", in.priceModel(), parent == null ? "fixed" : parent.priceModel, CategoryModels.PRICE);

        Category c = new Category();
        c.id = in.categoryId() != null ? in.categoryId() : nextId();
        if (Category.findByIdOptional(c.id).isPresent()) {
            throw ApiProblem.conflict("DUPLICATE_CATEGORY_ID", "category id " + c.id + " already exists")
                    .with("field", "categoryId").with("value", c.id);
        }
        c.code = in.code();
        c.name = in.name().trim();
        c.parentId = parentId;
        c.level = level;
        c.sortOrder = in.sortOrder() == null ? 0 : in.sortOrder();
        c.inventoryModel = inventory;
        c.priceModel = price;
        c.description = in.description();
        c.active = true;
        c.updatedAt = OffsetDateTime.now();
        c.createdBy = by;
        c.updatedBy = by;
        c.persist();
        publisher.changed(ConfigType.CATEGORY, c.id, "created");
        return c;
    }

    /** The tree's shape as the rules see it. */
    public CategoryTree tree() {
        return new CategoryTree(Category.<Category>listAll().stream()
                .map(c -> new CategoryTree.Node(c.id, c.parentId, c.level, c.sortOrder, c.active)).toList());
    }

    /** The category is switched on, and so are all its ancestors. */
    public boolean enabled(long id) {
        return lineage(id).stream().allMatch(c -> c.active);
    }

    /** Tree changes (move, reorder) take one lock, so two concurrent moves cannot build a cycle between them. */
    private void lockTree() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('config:category-tree'))").getSingleResult();
    }

    @Transactional
    public Category move(long id, MoveRequest in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        if (in.parentId() == null) {
            throw ApiProblem.missingField("parentId");
        }
        lockTree();
        Category c = Category.<Category>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> unknown(id));
        OptimisticLock.check(in.version(), c.version, "category", id);
        CategoryTree.Move move;
        try {
            move = tree().move(id, in.parentId());
        } catch (CategoryTree.MoveRefused r) {
            throw ApiProblem.badRequest(r.code, r.getMessage()).with("field", "parentId").with("value", in.parentId());
        }
        OffsetDateTime now = OffsetDateTime.now();
        c.parentId = move.newParentId();
        c.level = move.newLevel();
        if (in.sortOrder() != null) {
            c.sortOrder = in.sortOrder();
        }
        c.updatedAt = now;
        c.updatedBy = by;
        c.flush();
        List<Long> below = move.subtree().subList(1, move.subtree().size());
        if (move.levelShift() != 0 && !below.isEmpty()) {
            // One statement for the whole subtree: its levels follow the moved category.
            Category.update("level = level + ?1, version = version + 1, updatedAt = ?2, updatedBy = ?3 where id in ?4",
                    move.levelShift(), now, by, below);
        }
        publisher.changedAll(ConfigType.CATEGORY, move.subtree(), "moved");
        return c;
    }

    /** Sets the children's sort order to their place in the list (1, 2, ...), in one statement. */
    @Transactional
    public List<Category> reorder(OrderRequest in, long by) {
        if (in == null || in.categoryIds() == null) {
            throw ApiProblem.missingField("categoryIds");
        }
        long parentId = in.parentId() == null ? 0 : in.parentId();
        lockTree();
        java.util.Set<Long> children = new java.util.TreeSet<>(tree().children(parentId).stream().map(CategoryTree.Node::id).toList());
        java.util.Set<Long> given = new java.util.TreeSet<>(in.categoryIds());
        if (given.size() != in.categoryIds().size() || !given.equals(children)) {
            throw ApiProblem.invalidField("categoryIds", "must list every child of " + parentId + " exactly once: "
                    + children, in.categoryIds());
        }
        try (java.sql.Connection conn = dataSource.getConnection(); java.sql.PreparedStatement ps = conn.prepareStatement(
                "UPDATE category c SET sort_order = o.ord, version = c.version + 1, updated_at = now(), updated_by = ? "
                        + "FROM unnest(?::bigint[]) WITH ORDINALITY AS o(id, ord) WHERE c.category_id = o.id")) {
            ps.setLong(1, by);
            ps.setArray(2, conn.createArrayOf("bigint", in.categoryIds().toArray()));
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not reorder the children of " + parentId, e);
        }
        publisher.changedAll(ConfigType.CATEGORY, in.categoryIds(), "reordered");
        em.clear(); // the statement bypassed the session
        return Category.list("parentId = ?1 order by sortOrder, id", parentId);
    }

    private static long nextId() {
        Long max = Category.find("select max(c.id) from Category c").project(Long.class).firstResult();
        return (max == null ? 0 : max) + 1;
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.missingField(field);
        }
    }

    private static String pick(String field, String value, String inherited, java.util.Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return inherited;
        }
        if (!allowed.contains(value)) {
            throw ApiProblem.invalidField(field, "must be one of " + new java.util.TreeSet<>(allowed), value);
        }
        return value;
    }
}
