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
    @Inject
    dev.marketops.config.tag.TagService tags;
    @Inject
    dev.marketops.config.promotion.PromotionService promotions;

    @Override
    @Blocking
    public Uni<dev.marketops.proto.config.PromotionList> listActivePromotions(
            dev.marketops.proto.config.ListActivePromotionsRequest request) {
        return GrpcProblems.read(() -> {
            dev.marketops.proto.config.PromotionList.Builder out = dev.marketops.proto.config.PromotionList.newBuilder();
            for (dev.marketops.config.promotion.Promotion p : promotions.active()) {
                out.addPromotions(dev.marketops.proto.config.Promotion.newBuilder()
                        .setPromotionId(p.id).setName(p.name).setKind(p.kind)
                        .addAllCategoryIds(java.util.Arrays.asList(p.categoryIds)).addAllItemIds(java.util.Arrays.asList(p.itemIds))
                        .setUserType(p.userType).setDiscountType(p.discountType).setDiscountValue(p.discountValue.toPlainString())
                        .setPriority(p.priority).setStartsAtMillis(p.startsAt.toInstant().toEpochMilli())
                        .setEndsAtMillis(p.endsAt.toInstant().toEpochMilli()).setQuota(p.quota == null ? 0 : p.quota)
                        .setPerUserQuota(p.perUserQuota == null ? 0 : p.perUserQuota));
            }
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<dev.marketops.proto.config.TagList> listTags(dev.marketops.proto.config.ListTagsRequest request) {
        return GrpcProblems.read(() -> {
            dev.marketops.proto.config.TagList.Builder out = dev.marketops.proto.config.TagList.newBuilder();
            tags.list(request.getIncludeInactive()).forEach(t -> out.addTags(dev.marketops.proto.config.Tag.newBuilder()
                    .setTagId(t.id).setTagCode(t.code).setTagName(t.name).setTagType(t.type)
                    .setIconUrl(t.iconUrl == null ? "" : t.iconUrl).setPriority(t.priority).setActive(t.active)));
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<dev.marketops.proto.config.Category> getCategory(GetCategoryRequest request) {
        return GrpcProblems.read(() -> {
            java.util.List<Category> lineage = categories.lineage(request.getCategoryId());
            return toProto(lineage.getFirst(), lineage.stream().allMatch(c -> c.active));
        });
    }

    @Override
    @Blocking
    public Uni<CategoryList> listCategories(ListCategoriesRequest request) {
        return GrpcProblems.read(() -> {
            CategoryList.Builder out = CategoryList.newBuilder();
            dev.marketops.config.category.CategoryTree tree = categories.tree();
            categories.list(true).stream().filter(c -> request.getIncludeDisabled() || tree.enabled(c.id))
                    .forEach(c -> out.addCategories(toProto(c, tree.enabled(c.id))));
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<CategorySchema> getCategorySchema(GetCategoryRequest request) {
        return GrpcProblems.read(() -> {
            AttributeService.Schema s = attributes.schema(request.getCategoryId());
            CategorySchema.Builder out = CategorySchema.newBuilder()
                    .setCategory(toProto(s.category(), categories.enabled(s.category().id))).addAllAncestorIds(s.ancestorIds());
            s.attributes().forEach(a -> out.addAttributes(toProto(a)));
            return out.build();
        });
    }

    @Override
    @Blocking
    public Uni<AuditStrategyDecision> resolveAuditStrategy(ResolveAuditStrategyRequest request) {
        return GrpcProblems.read(() -> {
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

    /** enabled: the category and every ancestor are active (a disabled parent switches off its subtree). */
    static dev.marketops.proto.config.Category toProto(Category c, boolean enabled) {
        return dev.marketops.proto.config.Category.newBuilder()
                .setCategoryId(c.id).setCategoryCode(c.code).setName(c.name).setParentId(c.parentId)
                .setLevel(c.level).setInventoryModel(c.inventoryModel).setPriceModel(c.priceModel)
                .setEnabled(enabled).build();
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
