package dev.marketops.config.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.config.attribute.AttributeDefinition;
import dev.marketops.config.attribute.AttributeService;
import dev.marketops.config.auditconfig.AuditConfigService;
import dev.marketops.config.auditconfig.AuditStrategyResolver;
import dev.marketops.config.category.Category;
import dev.marketops.config.category.CategoryService;
import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.proto.config.CategoryList;
import dev.marketops.proto.config.CategorySchema;
import dev.marketops.proto.config.ConfigQueries;
import dev.marketops.proto.config.GetCategoryRequest;
import dev.marketops.proto.config.ListCategoriesRequest;
import dev.marketops.proto.config.ResolveAuditStrategyRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.Map;

@GrpcService
public class ConfigQueriesGrpcService implements ConfigQueries {

    @Inject
    CategoryService categories;
    @Inject
    AttributeService attributes;
    @Inject
    AuditConfigService auditConfigs;
    @Inject
    ObjectMapper json;

    @Override
    @Blocking
    public Uni<dev.marketops.proto.config.Category> getCategory(GetCategoryRequest request) {
        return GrpcProblems.call(() -> toProto(categories.get(request.getCategoryId())));
    }

    @Override
    @Blocking
    public Uni<CategoryList> listCategories(ListCategoriesRequest request) {
        return GrpcProblems.call(() -> {
            CategoryList.Builder out = CategoryList.newBuilder();
            categories.list(request.getIncludeDisabled()).forEach(c -> out.addCategories(toProto(c)));
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<CategorySchema> getCategorySchema(GetCategoryRequest request) {
        return GrpcProblems.call(() -> {
            AttributeService.Schema s = attributes.schema(request.getCategoryId());
            CategorySchema.Builder out = CategorySchema.newBuilder()
                    .setCategory(toProto(s.category())).addAllAncestorIds(s.ancestorIds());
            s.attributes().forEach(a -> out.addAttributes(toProto(a)));
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<AuditStrategyDecision> resolveAuditStrategy(ResolveAuditStrategyRequest request) {
        return GrpcProblems.call(() -> {
            AuditStrategyResolver.Decision d = auditConfigs.resolve(request.getCategoryId(), request.getSourceType(),
                    request.getSourceUserType());
            return AuditStrategyDecision.newBuilder()
                    .setStrategy(d.strategy()).setConfigured(d.configured())
                    .setConfigId(d.configId() == null ? 0 : d.configId())
                    .setMatchedCategoryId(d.matchedCategoryId() == null ? 0 : d.matchedCategoryId())
                    .setValidationRulesJson(toJson(d.validationRules()))
                    .setReason(d.reason())
                    .build();
        });
    }

    static dev.marketops.proto.config.Category toProto(Category c) {
        return dev.marketops.proto.config.Category.newBuilder()
                .setCategoryId(c.id).setCategoryCode(c.code).setName(c.name).setParentId(c.parentId)
                .setLevel(c.level).setInventoryModel(c.inventoryModel).setPriceModel(c.priceModel)
                .setEnabled(c.active).build();
    }

    private CategoryAttribute toProto(AttributeDefinition a) {
        CategoryAttribute.Builder b = CategoryAttribute.newBuilder()
                .setAttributeId(a.attributeId()).setCategoryId(a.categoryId()).setAttributeCode(a.code())
                .setAttributeName(a.name()).setAttributeType(a.type()).setRequired(a.required())
                .setValidationRuleJson(toJson(a.validationRule())).setSortOrder(a.sortOrder());
        if (a.enumValues() != null) {
            b.addAllEnumValues(a.enumValues());
        }
        if (a.defaultValue() != null) {
            b.setDefaultValue(a.defaultValue());
        }
        return b.build();
    }

    /** "{}" rather than "" when there is no rule, so every caller can parse the field unconditionally. */
    private String toJson(Map<String, Object> rule) {
        try {
            return json.writeValueAsString(rule == null ? Map.of() : rule);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rule could not be written as JSON", e);
        }
    }
}
