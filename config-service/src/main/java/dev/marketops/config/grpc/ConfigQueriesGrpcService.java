package dev.marketops.config.grpc;

import dev.marketops.config.category.Category;
import dev.marketops.config.category.CategoryService;
import dev.marketops.proto.config.CategoryList;
import dev.marketops.proto.config.GetCategoryRequest;
import dev.marketops.proto.config.ListCategoriesRequest;
import dev.marketops.proto.config.ConfigQueries;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class ConfigQueriesGrpcService implements ConfigQueries {

    @Inject
    CategoryService categories;

    @Override
    @Blocking
    public Uni<dev.marketops.proto.config.Category> getCategory(GetCategoryRequest request) {
        return categories.find(request.getCategoryId())
                .map(c -> Uni.createFrom().item(toProto(c)))
                .orElseGet(() -> Uni.createFrom().failure(Status.NOT_FOUND
                        .withDescription("no category with id " + request.getCategoryId()).asRuntimeException()));
    }

    @Override
    @Blocking
    public Uni<CategoryList> listCategories(ListCategoriesRequest request) {
        CategoryList.Builder out = CategoryList.newBuilder();
        categories.list(request.getIncludeDisabled()).forEach(c -> out.addCategories(toProto(c)));
        return Uni.createFrom().item(out.build());
    }

    static dev.marketops.proto.config.Category toProto(Category c) {
        return dev.marketops.proto.config.Category.newBuilder()
                .setCategoryId(c.id).setCategoryCode(c.code).setName(c.name).setParentId(c.parentId)
                .setLevel(c.level).setInventoryModel(c.inventoryModel).setPriceModel(c.priceModel)
                .setEnabled(c.active).build();
    }
}
