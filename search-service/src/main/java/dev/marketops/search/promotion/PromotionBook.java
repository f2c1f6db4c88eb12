package dev.marketops.search.promotion;

import dev.marketops.proto.config.ListActivePromotionsRequest;
import dev.marketops.proto.config.MutinyConfigQueriesGrpc;
import dev.marketops.proto.config.Promotion;
import dev.marketops.search.config.KeptValue;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The running and coming promotions from config-service, kept for {@code marketops.search.promotions-ttl}.
 * Prices are computed at read time against the clock, so an activity's price shows from its start
 * and is gone after its end with nothing to reindex. config-service being away keeps the last list.
 */
@ApplicationScoped
public class PromotionBook {

    private static final Logger LOG = Logger.getLogger(PromotionBook.class);

    /** How long a read waits for config-service before it prices with the last list (or none). */
    private static final Duration ASK = Duration.ofSeconds(5);

    @GrpcClient("config")
    MutinyConfigQueriesGrpc.MutinyConfigQueriesStub config;

    @ConfigProperty(name = "marketops.search.promotions-ttl", defaultValue = "PT5S")
    Duration ttl;

    private KeptValue<List<PromotionPrice.Activity>> kept;

    @PostConstruct
    void keep() {
        kept = new KeptValue<>(ttl, () -> config.withDeadlineAfter(ASK.toMillis(), TimeUnit.MILLISECONDS)
                .listActivePromotions(ListActivePromotionsRequest.getDefaultInstance())
                .map(r -> r.getPromotionsList().stream().map(PromotionBook::activity).toList()));
    }

    /** userType: the reader's (all / new / vip, checked by {@link #userType}). */
    public Optional<PromotionPrice.Applied> priceOf(long itemId, Collection<Long> categoryPath, long priceCents, String userType) {
        return pricing(userType).priceOf(itemId, categoryPath, priceCents);
    }

    /**
     * Prices for one answer: the promotion list is taken once (a page of hits is priced against
     * one list at one instant, and a page does not ask config-service once per hit when the list
     * has expired).
     */
    public Pricing pricing(String userType) {
        return pricingLater(userType).await().atMost(ASK.plusSeconds(1));
    }

    /** {@link #pricing} without blocking the caller's thread (the list is fetched only when it has expired). */
    public Uni<Pricing> pricingLater(String userType) {
        return activities().map(list -> new Pricing(list, System.currentTimeMillis(), userType));
    }

    /** The promotions and the instant one answer is priced at. */
    public record Pricing(List<PromotionPrice.Activity> activities, long at, String userType) {
        public Optional<PromotionPrice.Applied> priceOf(long itemId, Collection<Long> categoryPath, long priceCents) {
            return PromotionPrice.best(activities, itemId, categoryPath, priceCents, at, userType);
        }
    }

    /** The userType query parameter: absent means a reader of no particular type (only promotions for all apply). */
    public static String userType(String raw) {
        if (raw == null || raw.isBlank()) {
            return "all";
        }
        if (!PromotionPrice.USER_TYPES.contains(raw.trim())) {
            throw dev.marketops.platform.problem.ApiProblem.invalidField("userType", "one of " + new java.util.TreeSet<>(PromotionPrice.USER_TYPES), raw);
        }
        return raw.trim();
    }

    Uni<List<PromotionPrice.Activity>> activities() {
        return kept.get(e -> {
            LOG.warnf("promotions unavailable (%s); none applied", Status.fromThrowable(e).getCode());
            return List.of();
        }, e -> LOG.warnf("promotions unavailable (%s); keeping the last list", Status.fromThrowable(e).getCode()));
    }

    private static PromotionPrice.Activity activity(Promotion p) {
        return new PromotionPrice.Activity(p.getPromotionId(), p.getName(), p.getKind(), Set.copyOf(p.getCategoryIdsList()),
                Set.copyOf(p.getItemIdsList()), p.getUserType(), p.getDiscountType(), new BigDecimal(p.getDiscountValue()),
                p.getPriority(), p.getStartsAtMillis(), p.getEndsAtMillis(), p.getQuota(), p.getPerUserQuota());
    }
}
