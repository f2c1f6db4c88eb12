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

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CategoryDirectory.class);

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
        CategorySchema fresh = remote(() -> stub()
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
        AuditStrategyDecision fresh = remote(() -> stub()
                .resolveAuditStrategy(ResolveAuditStrategyRequest.newBuilder().setCategoryId(categoryId)
                        .setSourceType(sourceType).setSourceUserType(sourceUserType == null ? "" : sourceUserType).build()), categoryId);
        strategies.put(key, new Timed<>(fresh, now + ttl.toMillis()));
        return fresh;
    }

    /**
     * A call that waits for the channel to be ready within the deadline: a channel still connecting,
     * or backing off after config-service restarted, would otherwise fail the call at once as UNAVAILABLE.
     */
    private ConfigQueriesGrpc.ConfigQueriesBlockingStub stub() {
        return config.withWaitForReady().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One retry when the connection failed under the call (UNAVAILABLE: reset, config-service restarting);
     * these calls only read, so a second try is safe. DEADLINE_EXCEEDED is not retried (the call already
     * waited its whole deadline for a ready channel), nor INTERNAL/UNKNOWN: config-service's reads run in
     * their own transactions since the closed-session race at its start (quarkusio/quarkus#14820) was
     * mended there, so those now mean a defect to see, not a moment to wait out.
     */
    private static <T> T once(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                throw e;
            }
            LOG.warnf("config-service call failed (%s), retrying once", e.getStatus().getCode());
            return call.get();
        }
    }

    private <T> T remote(java.util.function.Supplier<T> call, long categoryId) {
        try {
            return once(call);
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
        Optional<Category> found;
        try {
            found = fetch(categoryId);
        } catch (ApiProblem unavailable) {
            if (e != null && e.category().isPresent()) { // a stale answer beats none while config-service is away
                LOG.warnf("serving category %d from an expired cache entry: %s", categoryId, unavailable.getMessage());
                return e.category();
            }
            throw unavailable;
        }
        long life = (found.isPresent() ? ttl : negativeTtl).toMillis();
        cache.put(categoryId, new Entry(found, now + life));
        return found;
    }

    /**
     * The category a new listing goes into, or a 400 problem naming the field: UNKNOWN_CATEGORY for an
     * unknown id, CATEGORY_DISABLED for a category (or one under an ancestor) that is switched off.
     * Existing listings of a disabled category keep working: they look it up with {@link #find}.
     */
    public Category require(long categoryId, String field) {
        Category c = find(categoryId).orElseThrow(() -> ApiProblem.badRequest("UNKNOWN_CATEGORY",
                "category " + categoryId + " does not exist").with("field", field).with("value", categoryId));
        if (!c.getEnabled()) {
            throw ApiProblem.badRequest("CATEGORY_DISABLED", "category " + categoryId
                    + " is disabled and takes no new listings").with("field", field).with("value", categoryId);
        }
        return c;
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
            return Optional.of(once(() -> stub()
                    .getCategory(GetCategoryRequest.newBuilder().setCategoryId(categoryId).build())));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw ApiProblem.unavailable("CONFIG_UNAVAILABLE",
                    "config-service could not resolve category " + categoryId + ": " + e.getStatus().getCode());
        }
    }
}
