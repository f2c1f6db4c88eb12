package dev.marketops.config.auditconfig;

import dev.marketops.config.category.Category;
import dev.marketops.config.category.CategoryService;
import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.config.support.Inserts;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Audit strategy configuration: its rows, their changes (each announced on config.publish) and resolution. */
@ApplicationScoped
public class AuditConfigService {

    /** A new row, or for an update the fields to change (null keeps the current value). */
    public record AuditConfigInput(Long categoryId, String sourceType, String sourceUserType, String auditStrategy,
                                   Map<String, Object> validationRules, Map<String, Object> autoApproveConditions,
                                   Boolean active, Long version) {
    }

    @Inject
    CategoryService categories;
    @Inject
    ConfigPublisher publisher;

    public List<AuditConfig> list(Long categoryId, String sourceType, boolean includeInactive) {
        return AuditConfig.search(categoryId, sourceType, includeInactive);
    }

    public AuditConfig get(long configId) {
        return AuditConfig.<AuditConfig>findByIdOptional(configId).orElseThrow(() -> unknown(configId));
    }

    /** Resolution for a known category; unknown categories are a 404 (NOT_FOUND over gRPC). */
    public AuditStrategyResolver.Decision resolve(Long categoryId, String sourceType, String sourceUserType) {
        if (categoryId == null) {
            throw ApiProblem.missingField("categoryId");
        }
        requireIn("sourceType", sourceType, AuditVocabulary.SOURCE_TYPES);
        String userType = blankToNull(sourceUserType);
        if (userType != null) {
            requireIn("sourceUserType", userType, AuditVocabulary.SOURCE_USER_TYPES);
        }
        List<Long> lineage = categories.lineage(categoryId).stream().map(c -> c.id).toList();
        List<AuditStrategyResolver.Rule> rules = AuditConfig.activeFor(lineage, sourceType).stream()
                .map(AuditConfig::toRule).toList();
        return AuditStrategyResolver.resolve(lineage, sourceType, userType, rules);
    }

    @Transactional
    public AuditConfig create(AuditConfigInput in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        if (in.categoryId() == null) {
            throw ApiProblem.missingField("categoryId");
        }
        requireIn("sourceType", in.sourceType(), AuditVocabulary.SOURCE_TYPES);
        String userType = blankToNull(in.sourceUserType());
        if (userType != null) {
            requireIn("sourceUserType", userType, AuditVocabulary.SOURCE_USER_TYPES);
        }
        requireIn("auditStrategy", in.auditStrategy(), AuditVocabulary.STRATEGIES);
        Category category = Category.<Category>findByIdOptional(in.categoryId()).orElseThrow(() ->
                ApiProblem.badRequest("UNKNOWN_CATEGORY", "category " + in.categoryId() + " does not exist")
                        .with("field", "categoryId").with("value", in.categoryId()));
        AuditConfig.byKey(category.id, in.sourceType(), userType).ifPresent(existing -> {
            throw duplicate(existing);
        });

        AuditConfig c = new AuditConfig();
        c.categoryId = category.id;
        c.sourceType = in.sourceType();
        c.sourceUserType = userType;
        c.strategy = in.auditStrategy();
        c.validationRules = in.validationRules() == null ? Map.of() : in.validationRules();
        c.autoApproveConditions = in.autoApproveConditions() == null ? Map.of() : in.autoApproveConditions();
        c.active = in.active() == null || in.active();
        c.updatedAt = OffsetDateTime.now();
        c.createdBy = by;
        c.updatedBy = by;
        Inserts.insertUnique(c, () -> ApiProblem.conflict("DUPLICATE_AUDIT_CONFIG",
                "an audit config for this category, source and user type was created concurrently"));
        publisher.changed(ConfigType.AUDIT_CONFIG, c.categoryId, "created");
        return c;
    }

    /** Changes the strategy, rules or active flag; the key (category, source, user type) is fixed. */
    @Transactional
    public AuditConfig update(long configId, AuditConfigInput in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        AuditConfig c = AuditConfig.<AuditConfig>findByIdOptional(configId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> unknown(configId));
        OptimisticLock.check(in.version(), c.version, "audit config", configId);
        immutable("categoryId", in.categoryId(), c.categoryId);
        immutable("sourceType", in.sourceType(), c.sourceType);
        immutable("sourceUserType", blankToNull(in.sourceUserType()), c.sourceUserType);
        if (in.auditStrategy() != null) {
            requireIn("auditStrategy", in.auditStrategy(), AuditVocabulary.STRATEGIES);
            c.strategy = in.auditStrategy();
        }
        if (in.validationRules() != null) {
            c.validationRules = in.validationRules();
        }
        if (in.autoApproveConditions() != null) {
            c.autoApproveConditions = in.autoApproveConditions();
        }
        if (in.active() != null) {
            c.active = in.active();
        }
        c.updatedAt = OffsetDateTime.now();
        c.updatedBy = by;
        c.flush(); // the response carries the new version
        publisher.changed(ConfigType.AUDIT_CONFIG, c.categoryId, "updated");
        return c;
    }

    /** Deactivates rather than deletes, so the history of what applied stays readable. */
    @Transactional
    public AuditConfig deactivate(long configId, long by) {
        AuditConfig c = AuditConfig.<AuditConfig>findByIdOptional(configId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> unknown(configId));
        if (c.active) {
            c.active = false;
            c.updatedAt = OffsetDateTime.now();
            c.updatedBy = by;
            c.flush();
            publisher.changed(ConfigType.AUDIT_CONFIG, c.categoryId, "deactivated");
        }
        return c;
    }

    private static ApiProblem duplicate(AuditConfig existing) {
        String state = existing.active ? "" : " (inactive: reactivate it with PUT and active=true)";
        return ApiProblem.conflict("DUPLICATE_AUDIT_CONFIG", "category " + existing.categoryId + " already has config "
                        + existing.id + " for source " + existing.sourceType + " and user type "
                        + (existing.sourceUserType == null ? "any" : existing.sourceUserType) + state)
                .with("configId", existing.id).with("active", existing.active);
    }

    private static ApiProblem unknown(long configId) {
        return ApiProblem.notFound("UNKNOWN_AUDIT_CONFIG", "no audit config with id " + configId)
                .with("configId", configId);
    }

    private static void requireIn(String field, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.missingField(field);
        }
        if (!allowed.contains(value)) {
            throw ApiProblem.invalidField(field, "must be one of " + new TreeSet<>(allowed), value);
        }
    }

    private static void immutable(String field, Object given, Object current) {
        if (given != null && !given.equals(current)) {
            throw ApiProblem.invalidField(field, "cannot be changed; deactivate this config and create another", given);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
