package dev.marketops.config.attribute;

import dev.marketops.config.category.Category;
import dev.marketops.config.category.CategoryService;
import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.config.support.Inserts;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
    @Inject
    SchemaVersions versions;
    @Inject
    AffectedItems affected;

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

    /**
     * Whether the caller confirms a change previewed at {@code schemaVersion} (the number the
     * preview answered with); without it a change that invalidates online items is only previewed.
     */
    public record Confirmation(boolean confirm, Integer schemaVersion) {
        public static final Confirmation NONE = new Confirmation(false, null);
    }

    /** A change cleared to apply: the schema version it was judged at, its breaking parts and their count. */
    private record Gate(int schemaVersion, List<AttributeImpact.Breaking> breaking, Long affectedItems) {
    }

    public CategoryAttribute create(long categoryId, AttributeInput in, Confirmation confirmation, long by) {
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
        boolean active = in.active() == null || in.active();
        Gate gate = gate(categoryId, null, false, d, active, confirmation);
        return QuarkusTransaction.requiringNew().call(() -> {
            versions.lockAt(categoryId, gate.schemaVersion());
            CategoryAttribute a = new CategoryAttribute();
            a.categoryId = categoryId;
            a.apply(d);
            a.active = active;
            a.updatedAt = OffsetDateTime.now();
            a.createdBy = by;
            a.updatedBy = by;
            Inserts.insertUnique(a, () -> ApiProblem.conflict("DUPLICATE_ATTRIBUTE_CODE",
                    "attribute " + d.code() + " of category " + categoryId + " was created concurrently").with("field", "code"));
            versions.record(categoryId, d.code(), "created", AttributeImpact.diff(null, null, a.toDefinition(), a.active),
                    gate.breaking(), gate.affectedItems(), by);
            publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "created");
            return a;
        });
    }

    public CategoryAttribute update(long categoryId, String code, AttributeInput in, Confirmation confirmation, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        categories.get(categoryId);
        CategoryAttribute current = CategoryAttribute.byCode(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
        OptimisticLock.check(in.version(), current.version, "attribute " + code + " of category", categoryId);
        if (in.code() != null && !in.code().equals(code)) {
            throw ApiProblem.invalidField("code", "cannot be changed; deactivate this attribute and create another", in.code());
        }
        AttributeDefinition before = current.toDefinition();
        boolean beforeActive = current.active;
        AttributeDefinition d = new AttributeDefinition(current.id, categoryId, code,
                or(in.name(), current.name), or(in.type(), current.type), or(in.required(), current.required),
                or(in.defaultValue(), current.defaultValue), or(in.enumValues(), current.enumValues),
                or(in.validationRule(), current.validationRule), or(in.sortOrder(), current.sortOrder),
                or(in.description(), current.description));
        requireValid(d);
        boolean active = or(in.active(), current.active);
        Gate gate = gate(categoryId, before, beforeActive, d, active, confirmation);
        return QuarkusTransaction.requiringNew().call(() -> {
            // The schema version did not move since the attribute was read, so neither did the attribute.
            versions.lockAt(categoryId, gate.schemaVersion());
            CategoryAttribute a = CategoryAttribute.byCodeForUpdate(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
            OptimisticLock.check(in.version(), a.version, "attribute " + code + " of category", categoryId);
            a.apply(d);
            a.active = active;
            a.updatedAt = OffsetDateTime.now();
            a.updatedBy = by;
            a.flush(); // the response carries the new version
            Map<String, Map<String, Object>> diff = AttributeImpact.diff(before, beforeActive, a.toDefinition(), a.active);
            if (!diff.isEmpty()) {
                versions.record(categoryId, code, "updated", diff, gate.breaking(), gate.affectedItems(), by);
            }
            publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "updated");
            return a;
        });
    }

    /** Deactivates rather than deletes: listings already carry the attribute and their history must stay readable. */
    @Transactional
    public CategoryAttribute deactivate(long categoryId, String code, long by) {
        categories.get(categoryId);
        versions.lockAt(categoryId, versions.current(categoryId));
        CategoryAttribute a = CategoryAttribute.byCodeForUpdate(categoryId, code).orElseThrow(() -> unknown(categoryId, code));
        if (a.active) {
            a.active = false;
            a.updatedAt = OffsetDateTime.now();
            a.updatedBy = by;
            a.flush();
            versions.record(categoryId, code, "deactivated", AttributeImpact.diff(a.toDefinition(), true, a.toDefinition(), false),
                    List.of(), null, by);
            publisher.changed(ConfigType.CATEGORY_ATTRIBUTE, categoryId, "deactivated");
        }
        return a;
    }

    public List<SchemaVersions.Version> versions(long categoryId) {
        categories.get(categoryId);
        return versions.list(categoryId);
    }

    /**
     * Judges a change against the online items of the category and its subtree (which inherit its
     * attributes). A change that invalidates some is refused with their count and a sample, and the
     * schema version to confirm it at; it is applied when the request confirms that version.
     * The catalogue is asked outside any transaction: no row is locked while it streams.
     */
    private Gate gate(long categoryId, AttributeDefinition before, boolean beforeActive, AttributeDefinition after,
                      boolean afterActive, Confirmation c) {
        int current = versions.current(categoryId);
        if (c.confirm()) {
            if (c.schemaVersion() == null) {
                throw ApiProblem.missingField("schemaVersion");
            }
            if (c.schemaVersion() != current) {
                throw SchemaVersions.stale(categoryId, c.schemaVersion(), current);
            }
        }
        List<AttributeImpact.Breaking> breaking = AttributeImpact.breaking(before, beforeActive, after, afterActive);
        if (breaking.isEmpty()) {
            return new Gate(current, breaking, null);
        }
        AffectedItems.Count n = affected.count(categories.tree().subtree(categoryId), after, breaking);
        if (n.affected() > 0 && !c.confirm()) {
            throw ApiProblem.conflict("CONFIRMATION_REQUIRED", n.affected() + " online item(s) of category " + categoryId
                            + " would no longer be valid; repeat the request with confirm=true&schemaVersion=" + current)
                    .with("field", "confirm").with("affectedItems", n.affected()).with("sampleItemIds", n.sampleItemIds())
                    .with("scannedItems", n.scanned()).with("breaking", breaking).with("schemaVersion", current);
        }
        return new Gate(current, breaking, n.affected());
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
