package dev.marketops.config.promotion;

import dev.marketops.config.category.Category;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Promotions: create, edit (with its version), end; validation by {@link PromotionRules}. */
@ApplicationScoped
public class PromotionService {

    /** Ids as strings (64-bit); null fields keep the current value on an edit. */
    public record PromotionInput(Long version, String name, String kind, List<String> categoryIds, List<String> itemIds,
                                 String userType, String discountType, BigDecimal discountValue, Integer priority,
                                 Instant startsAt, Instant endsAt, Long quota, Long perUserQuota) {
    }

    private final SnowflakeIds ids;

    public PromotionService(SnowflakeIds ids) {
        this.ids = ids;
    }

    public Promotion get(long id) {
        return Promotion.<Promotion>findByIdOptional(id).orElseThrow(() -> unknown(id));
    }

    /** Running or still to come (ended ones and those past their end are left out). */
    public List<Promotion> active() {
        return Promotion.list("status = 'active' and endsAt > ?1 order by priority desc, id", OffsetDateTime.now());
    }

    // a refused input changes nothing before it is refused, so it need not doom a surrounding transaction
    // (PromotionBatch checks every row of a request in one transaction and reports them all)
    @Transactional(dontRollbackOn = ApiProblem.class)
    public Promotion create(PromotionInput in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        Promotion p = new Promotion();
        p.id = ids.nextId();
        p.status = "active";
        p.createdBy = by;
        apply(p, in, by);
        p.persist();
        return p;
    }

    // a refused input changes nothing before it is refused, so it need not doom a surrounding transaction
    // (PromotionBatch checks every row of a request in one transaction and reports them all)
    @Transactional(dontRollbackOn = ApiProblem.class)
    public Promotion update(long id, PromotionInput in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        Promotion p = Promotion.<Promotion>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> unknown(id));
        OptimisticLock.check(in.version(), p.version, "promotion", id);
        if (!p.status.equals("active")) {
            throw ApiProblem.conflict("PROMOTION_ENDED", "promotion " + id + " has ended and cannot change");
        }
        apply(p, in, by);
        p.flush();
        return p;
    }

    /** Ends the activity now: the read side stops applying it at once (it reads ends_at). */
    // a refused input changes nothing before it is refused, so it need not doom a surrounding transaction
    // (PromotionBatch checks every row of a request in one transaction and reports them all)
    @Transactional(dontRollbackOn = ApiProblem.class)
    public Promotion end(long id, long by) {
        Promotion p = Promotion.<Promotion>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> unknown(id));
        if (p.status.equals("ended")) {
            return p;
        }
        p.status = "ended";
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (p.endsAt.isAfter(now)) {
            p.endsAt = p.startsAt.isAfter(now) ? p.startsAt.plusNanos(1000) : now;
        }
        p.updatedBy = by;
        p.updatedAt = now;
        p.flush();
        return p;
    }

    private void apply(Promotion p, PromotionInput in, long by) {
        PromotionRules.Draft d = new PromotionRules.Draft(
                in.name() != null ? in.name().trim() : p.name,
                in.kind() != null ? in.kind() : p.kind == null ? "discount" : p.kind,
                in.categoryIds() != null ? ids("categoryIds", in.categoryIds()) : list(p.categoryIds),
                in.itemIds() != null ? ids("itemIds", in.itemIds()) : list(p.itemIds),
                in.userType() != null ? in.userType() : p.userType == null ? "all" : p.userType,
                in.discountType() != null ? in.discountType() : p.discountType,
                in.discountValue() != null ? in.discountValue() : p.discountValue,
                in.priority() != null ? in.priority() : p.priority,
                in.startsAt() != null ? in.startsAt() : p.startsAt == null ? null : p.startsAt.toInstant(),
                in.endsAt() != null ? in.endsAt() : p.endsAt == null ? null : p.endsAt.toInstant(),
                in.quota() != null ? in.quota() : p.quota,
                in.perUserQuota() != null ? in.perUserQuota() : p.perUserQuota);
        List<PromotionRules.Violation> violations = PromotionRules.check(d);
        if (violations.isEmpty() && !d.categoryIds().isEmpty()
                && Category.count("id in ?1", d.categoryIds()) != d.categoryIds().size()) {
            violations.add(new PromotionRules.Violation("categoryIds", "names a category that does not exist", d.categoryIds()));
        }
        if (!violations.isEmpty()) {
            PromotionRules.Violation v = violations.getFirst();
            throw ApiProblem.badRequest("INVALID_PROMOTION", v.field() + " " + v.reason()).with("field", v.field())
                    .with("reason", v.reason()).with("value", v.value()).with("violations", violations);
        }
        for (Promotion other : Promotion.<Promotion>list("status = 'active' and priority = ?1 and id <> ?2", d.priority(), p.id)) {
            if (PromotionRules.overlap(d, draft(other))) {
                throw ApiProblem.conflict("PROMOTION_OVERLAP", "promotion " + other.id + " has the same priority " + d.priority()
                                + " over an overlapping scope and time; give one of them another priority")
                        .with("field", "priority").with("value", d.priority()).with("conflictingPromotionId", Long.toString(other.id));
            }
        }
        p.name = d.name();
        p.kind = d.kind();
        p.categoryIds = d.categoryIds().toArray(Long[]::new);
        p.itemIds = d.itemIds().toArray(Long[]::new);
        p.userType = d.userType();
        p.discountType = d.discountType();
        p.discountValue = d.discountValue();
        p.priority = d.priority();
        p.startsAt = d.startsAt().atOffset(ZoneOffset.UTC);
        p.endsAt = d.endsAt().atOffset(ZoneOffset.UTC);
        p.quota = d.quota();
        p.perUserQuota = d.perUserQuota();
        p.updatedBy = by;
        p.updatedAt = OffsetDateTime.now();
    }

    private static PromotionRules.Draft draft(Promotion p) {
        return new PromotionRules.Draft(p.name, p.kind, list(p.categoryIds), list(p.itemIds), p.userType, p.discountType,
                p.discountValue, p.priority, p.startsAt.toInstant(), p.endsAt.toInstant(), p.quota, p.perUserQuota);
    }

    private static List<Long> list(Long[] a) {
        return a == null ? List.of() : Arrays.asList(a);
    }

    private static List<Long> ids(String field, List<String> raw) {
        Set<Long> out = new LinkedHashSet<>();
        for (String s : raw) {
            try {
                out.add(Long.parseLong(s));
            } catch (NumberFormatException | NullPointerException e) {
                throw ApiProblem.invalidField(field, "must be ids", s);
            }
        }
        return List.copyOf(out);
    }

    private static ApiProblem unknown(long id) {
        return ApiProblem.notFound("UNKNOWN_PROMOTION", "no promotion with id " + id).with("promotionId", Long.toString(id));
    }
}
