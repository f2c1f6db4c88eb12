package dev.marketops.platform.config;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.config.Category;
import dev.marketops.proto.config.CategorySchema;
import dev.marketops.proto.config.ResolveAuditStrategyRequest;
import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.GetCategoryRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The callers' view of config-service's category tree over gRPC, cached in process.
 * Entries expire after {@code marketops.config-cache.ttl}; {@link #invalidate} drops them
 * early when a config.publish event says a category changed. Unknown ids are cached
 * briefly too, so a flood of bad input does not become a flood of gRPC calls.
 */
@ApplicationScoped
public class CategoryDirectory {

    private record Entry(Optional<Category> category, long expiresAt) {
    }

    @GrpcClient("config")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub config;

    // A cold config-service answers its first calls slowly while it warms up; a busy node too.
    @ConfigProperty(name = "marketops.config.deadline", defaultValue = "PT5S")
    Duration deadline;
    @ConfigProperty(name = "marketops.config-cache.ttl", defaultValue = "PT60S")
    Duration ttl;
    @ConfigProperty(name = "marketops.config-cache.negative-ttl", defaultValue = "PT5S")
    Duration negativeTtl;

    private final ConcurrentHashMap<Long, Entry> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Timed<CategorySchema>> schemas = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timed<AuditStrategyDecision>> strategies = new ConcurrentHashMap<>();

    private record Timed<T>(T value, long expiresAt) {
    }

    /** The category with its effective attributes; a 400 UNKNOWN_CATEGORY problem when there is none. */
    public CategorySchema schema(long categoryId) {
        long now = System.currentTimeMillis();
        Timed<CategorySchema> t = schemas.get(categoryId);
        if (t != null && t.expiresAt() > now) {
            return t.value();
        }
        CategorySchema fresh = remote(() -> config.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .getCategorySchema(GetCategoryRequest.newBuilder().setCategoryId(categoryId).build()), categoryId);
        schemas.put(categoryId, new Timed<>(fresh, now + ttl.toMillis()));
        return fresh;
    }

    /** How listings of this category from this source are audited (config-service resolves fallbacks). */
    public AuditStrategyDecision auditStrategy(long categoryId, String sourceType, String sourceUserType) {
        String key = categoryId + "|" + sourceType + "|" + sourceUserType;
        long now = System.currentTimeMillis();
        Timed<AuditStrategyDecision> t = strategies.get(key);
        if (t != null && t.expiresAt() > now) {
            return t.value();
        }
        AuditStrategyDecision fresh = remote(() -> config.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .resolveAuditStrategy(ResolveAuditStrategyRequest.newBuilder().setCategoryId(categoryId)
                        .setSourceType(sourceType).setSourceUserType(sourceUserType == null ? "" : sourceUserType).build()), categoryId);
        strategies.put(key, new Timed<>(fresh, now + ttl.toMillis()));
        return fresh;
    }

    private <T> T remote(java.util.function.Supplier<T> call, long categoryId) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiProblem.badRequest("UNKNOWN_CATEGORY", "category " + categoryId + " does not exist")
                        .with("field", "categoryId").with("value", categoryId);
            }
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE",
                    "config-service could not answer for category " + categoryId + ": " + e.getStatus().getCode());
        }
    }

    /** The category, or empty when config-service does not know it; 503 problem when it cannot answer. */
    public Optional<Category> find(long categoryId) {
        long now = System.currentTimeMillis();
        Entry e = cache.get(categoryId);
        if (e != null && e.expiresAt() > now) {
            return e.category();
        }
        Optional<Category> found = fetch(categoryId);
        long life = (found.isPresent() ? ttl : negativeTtl).toMillis();
        cache.put(categoryId, new Entry(found, now + life));
        return found;
    }

    /** The category or a 400 problem naming the field that carried the unknown id. */
    public Category require(long categoryId, String field) {
        return find(categoryId).orElseThrow(() -> ApiProblem.badRequest("UNKNOWN_CATEGORY",
                "category " + categoryId + " does not exist").with("field", field).with("value", categoryId));
    }

    /** Drops what is cached about a category; its children's schemas inherit from it, so those go too. */
    public void invalidate(long categoryId) {
        cache.remove(categoryId);
        schemas.entrySet().removeIf(e -> e.getKey() == categoryId || e.getValue().value().getAncestorIdsList().contains(categoryId));
        strategies.clear(); // ancestors' rows apply to descendants; the map is small and refills lazily
    }

    public void invalidateAll() {
        cache.clear();
        schemas.clear();
        strategies.clear();
    }

    private Optional<Category> fetch(long categoryId) {
        try {
            return Optional.of(config.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .getCategory(GetCategoryRequest.newBuilder().setCategoryId(categoryId).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE",
                    "config-service could not resolve category " + categoryId + ": " + e.getStatus().getCode());
        }
    }
}
