package dev.marketops.config.attribute;

import dev.marketops.config.category.Category;
import dev.marketops.config.category.CategoryService;
import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.config.support.Inserts;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Category attributes: their changes (each announced on config.publish) and the effective schema of a category. */
@ApplicationScoped
public class AttributeService {

    /** A new attribute, or for an update the fields to change (null keeps the current value; [] / {} clear). */
    public record AttributeInput(String code, String name, String type, Boolean required, String defaultValue,
                                 List<String> enumValues, Map<String, Object> validationRule, Integer sortOrder,
                                 String description, Boolean active, Long version) {
    }

    /** What validation needs: the category, its ancestors (root first) and the attributes in effect. */
    public record Schema(Category category, List<Long> ancestorIds, List<AttributeDefinition> attributes) {
    }

    @Inject
    CategoryService categories;
    @Inject
    ConfigPublisher publisher;

    public List<CategoryAttribute> list(long categoryId, boolean includeInactive) {
        categories.get(categoryId);
        return CategoryAttribute.ofCategory(categoryId, includeInactive);
    }

    public CategoryAttribute get(long categoryId, String code) {
        categories.get(categoryId);
        return CategoryAttribute.byCode(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
    }

    public Schema schema(long categoryId) {
        List<Category> lineage = categories.lineage(categoryId);
        List<Long> rootFirst = lineage.stream().map(c -> c.id).toList().reversed();
        List<AttributeDefinition> declared = CategoryAttribute.activeOf(rootFirst).stream()
                .map(CategoryAttribute::toDefinition).toList();
        return new Schema(lineage.getFirst(), rootFirst.subList(0, rootFirst.size() - 1),
                EffectiveAttributes.of(rootFirst, declared));
    }

    @Transactional
    public CategoryAttribute create(long categoryId, AttributeInput in) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        categories.get(categoryId);
        AttributeDefinition d = new AttributeDefinition(null, categoryId, in.code(), in.name(), in.type(),
                Boolean.TRUE.equals(in.required()), in.defaultValue(), in.enumValues(), in.validationRule(),
                in.sortOrder() == null ? 0 : in.sortOrder(), in.description());
        requireValid(d);
        CategoryAttribute.byCode(categoryId, d.code()).ifPresent(existing -> {
            throw duplicate(existing);
        });

        CategoryAttribute a = new CategoryAttribute();
        a.categoryId = categoryId;
        a.apply(d);
        a.active = in.active() == null || in.active();
        a.updatedAt = OffsetDateTime.now();
        Inserts.insertUnique(a, () -> ApiProblem.conflict("DUPLICATE_ATTRIBUTE_CODE",
                "attribute " + d.code() + " of category " + categoryId + " was created concurrently").with("field", "code"));
        publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "created");
        return a;
    }

    @Transactional
    public CategoryAttribute update(long categoryId, String code, AttributeInput in) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        categories.get(categoryId);
        CategoryAttribute a = CategoryAttribute.byCodeForUpdate(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
        OptimisticLock.check(in.version(), a.version, "attribute " + code + " of category", categoryId);
        if (in.code() != null && !in.code().equals(code)) {
            throw ApiProblem.invalidField("code", "cannot be changed; deactivate this attribute and create another", in.code());
        }
        AttributeDefinition d = new AttributeDefinition(a.id, categoryId, code,
                or(in.name(), a.name), or(in.type(), a.type), or(in.required(), a.required),
                or(in.defaultValue(), a.defaultValue), or(in.enumValues(), a.enumValues),
                or(in.validationRule(), a.validationRule), or(in.sortOrder(), a.sortOrder), or(in.description(), a.description));
        requireValid(d);
        a.apply(d);
        if (in.active() != null) {
            a.active = in.active();
        }
        a.updatedAt = OffsetDateTime.now();
        a.flush(); // the response carries the new version
        publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "updated");
        return a;
    }

    /** Deactivates rather than deletes: listings already carry the attribute and their history must stay readable. */
    @Transactional
    public CategoryAttribute deactivate(long categoryId, String code) {
        categories.get(categoryId);
        CategoryAttribute a = CategoryAttribute.byCodeForUpdate(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
        if (a.active) {
            a.active = false;
            a.updatedAt = OffsetDateTime.now();
            a.flush();
            publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "deactivated");
        }
        return a;
    }

    private static void requireValid(AttributeDefinition d) {
        List<AttributeRules.Violation> violations = AttributeRules.check(d);
        if (!violations.isEmpty()) {
            AttributeRules.Violation first = violations.getFirst();
            throw ApiProblem.invalidField(first.field(), first.reason(), first.value()).with("violations", violations);
        }
    }

    private static ApiProblem duplicate(CategoryAttribute existing) {
        String state = existing.active ? "" : " (inactive: reactivate it with PUT and active=true)";
        return ApiProblem.conflict("DUPLICATE_ATTRIBUTE_CODE", "category " + existing.categoryId
                        + " already has attribute " + existing.code + state)
                .with("field", "code").with("value", existing.code).with("attributeId", existing.id)
                .with("active", existing.active);
    }

    private static ApiProblem unknown(long categoryId, String code) {
        return ApiProblem.notFound("UNKNOWN_ATTRIBUTE", "category " + categoryId + " has no attribute " + code)
                .with("categoryId", categoryId).with("attributeCode", code);
    }

    private static <T> T or(T given, T current) {
        return given != null ? given : current;
    }
}
