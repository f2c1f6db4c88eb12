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

    @Inject
    ConfigPublisher publisher;

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
    public Category update(long id, CategoryUpdate in) {
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
        c.flush(); // the response carries the new version
        publisher.changed(ConfigType.CATEGORY, c.id, "updated");
        return c;
    }

    @Transactional
    public Category create(NewCategory in) {
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
        c.persist();
        publisher.changed(ConfigType.CATEGORY, c.id, "created");
        return c;
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
